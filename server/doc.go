// Package server is Herald's fan-out engine: a hub of topics that encodes each
// published event once and hands the same bytes to every subscriber, and the
// HTTP handlers that stream those events as server-sent events (GET /events)
// and accept publishes (POST /publish).
//
// A Server is a library, not a program: mount its Handler on any mux.
//
//	srv, err := server.New(server.Config{Schema: events.Schema, PublishToken: token})
//	mux.Handle("/", srv.Handler())
package server
