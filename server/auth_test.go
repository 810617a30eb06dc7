package server_test

import (
	"net/http"
	"testing"

	"github.com/heraldhq/herald/server"
)

func TestByDefaultOnlyUserTopicsArePrivate(t *testing.T) {
	_, ts := newTestServer(t, server.Config{Session: server.SessionConfig{NameSignIn: true}})
	bob := signIn(t, ts, "bob")
	cases := []struct {
		name, topics string
		cookie       *http.Cookie
		status       int
	}{
		{"any other topic is open", "topic=anything&topic=a/b", nil, 200},
		{"user topics need a session", "topic=user/alice", nil, 401},
		{"user topics need their own user", "topic=user/alice/x", bob, 403},
		{"a topic that merely starts with user is open", "topic=username", nil, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if a := do(t, nil, ts, request{method: "GET", path: "/events?" + c.topics, cookie: c.cookie}); a.status != c.status {
				t.Errorf("got %d %q, want %d", a.status, a.err, c.status)
			}
		})
	}
}
