//go:build !(js && wasm)

package main

import (
	"encoding/json"
	"fmt"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server/security"
)

// stampAuthor is the demo's security.Stamper: a notification a signed-in
// user publishes is signed with their name, from the session, whatever its
// user field said. Other events are published as sent.
func stampAuthor(u security.User, _, eventType string, data json.RawMessage) (json.RawMessage, error) {
	if eventType != events.Notify.Name() {
		return data, nil
	}
	n, err := events.Notify.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("stamp the author of a notification: %w", err)
	}
	n.User = u.Name
	return events.Notify.Encode(n)
}
