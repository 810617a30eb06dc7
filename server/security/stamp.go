package security

import "encoding/json"

// A Stamper sets what the server, not the client, says in the events a
// signed-in user publishes: such as the author's name, taken from the
// session rather than trusted from the body. The server asks it for each
// event of a user's publish, after the Authorizer allowed it and before the
// event is stored, and checks what it returns against the schema again.
// Events published with the publish token, or from Go, are not stamped.
type Stamper interface {
	// Stamp returns the data of an event of type eventType that u
	// publishes to topic, rewritten or as it is, or an error that refuses
	// the publish (answered 400 with its message).
	Stamp(u User, topic, eventType string, data json.RawMessage) (json.RawMessage, error)
}

// StampFunc adapts a function to a Stamper.
type StampFunc func(u User, topic, eventType string, data json.RawMessage) (json.RawMessage, error)

// Stamp returns f(u, topic, eventType, data).
func (f StampFunc) Stamp(u User, topic, eventType string, data json.RawMessage) (json.RawMessage, error) {
	return f(u, topic, eventType, data)
}
