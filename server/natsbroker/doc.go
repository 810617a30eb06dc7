// Package natsbroker is an engine.Broker on NATS JetStream, so that any number
// of Herald servers serve one stream of events: an event published on any of
// them is stored in a JetStream stream before the publish is answered, every
// server consumes that stream and fans it out to its own clients, and the
// event's id is its JetStream stream sequence, the same on every server. A
// client may resume on any server with the id it got from another.
//
//	b, err := natsbroker.Open(ctx, natsbroker.Config{URL: "nats://127.0.0.1:4222"})
//	srv, err := server.New(server.Config{Schema: events.Schema, Broker: b})
//
// The stream (HERALD by default) holds one subject per topic, under
// herald.topic (see EncodeTopic), with the event type in the Herald-Type
// header and the JSON data as the payload. It needs NATS Server 2.12 or later,
// for atomic batch publishing.
//
// The package is apart from server so that programs with the in-memory broker
// do not link the NATS client.
package natsbroker
