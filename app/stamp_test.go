//go:build !(js && wasm)

package main

import (
	"encoding/json"
	"testing"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server/security"
)

func TestANotificationIsSignedWithTheSessionsName(t *testing.T) {
	alice := security.User{Name: "alice"}
	cases := []struct {
		name, eventType, data, wantUser string
	}{
		{"a claim to be admin is signed alice", "notification", `{"user":"admin","message":"hi","level":"info"}`, "alice"},
		{"a notification without a user is signed alice", "notification", `{"message":"hi"}`, "alice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := stampAuthor(alice, events.PublicTopic, c.eventType, json.RawMessage(c.data))
			if err != nil {
				t.Fatal(err)
			}
			n, err := events.Notify.Decode(out)
			if err != nil || n.User != c.wantUser || n.Message != "hi" {
				t.Errorf("stamped %s into %s, want the user %s and the message kept", c.data, out, c.wantUser)
			}
		})
	}
}

func TestOtherEventsAreNotStamped(t *testing.T) {
	data := json.RawMessage(`{"name":"x","value":1,"unit":"","at":"2026-01-01T00:00:00Z"}`)
	out, err := stampAuthor(security.User{Name: "alice"}, "user/alice", "metric", data)
	if err != nil || string(out) != string(data) {
		t.Errorf("stamped a metric into %s, %v; want it as sent", out, err)
	}
}
