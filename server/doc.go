// Package server is Herald's HTTP API: it streams the events of a fan-out
// engine (package server/engine) to many clients at once as server-sent
// events (GET /events), accepts publishes (POST /publish and Publish from
// Go) and signs users in and out (/session), behind the protection of
// package server/security.
//
// The data path, by package: a publish is checked against the Config's
// schema and policy here, handed to the engine's Hub, which has its Broker
// store and number it, encodes it once and queues the same bytes for every
// subscriber of its topic; each stream here takes what is queued and writes
// it through server/internal/transport, to the ResponseWriter or, for plain
// HTTP/1.1, straight to the connection.
//
// A Server is a library, not a program: mount it on any mux, behind any
// middleware.
//
//	srv, err := server.New(server.Config{Schema: events.Schema, Authorizer: policy{}})
//	mux := http.NewServeMux()
//	srv.Mount(mux)
//	id, err := server.Publish(srv, "poll", events.TallyEvent, tally)
package server
