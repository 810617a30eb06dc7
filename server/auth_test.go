package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
)

func TestStreamTopicsNeedTheRightUser(t *testing.T) {
	_, ts := newTestServer(t, server.Config{Authorizer: testPolicy{}, Session: security.SessionConfig{NameSignIn: true}})
	alice, bob := signIn(t, ts, "alice"), signIn(t, ts, "bob")
	cases := []struct {
		name, topics string
		cookie       *http.Cookie
		status       int
		wantErr      string
	}{
		{"anyone reads public", "topic=public", nil, 200, ""},
		{"anyone reads metrics and logs", "topic=metrics&topic=logs", nil, 200, ""},
		{"a signed-out reader of a user topic gets 401", "topic=user/alice", nil, 401, `sign in to read topic "user/alice"`},
		{"another user gets 403", "topic=user/alice", bob, 403, `user "bob" may not read topic "user/alice"`},
		{"the user reads their own topic", "topic=user/alice", alice, 200, ""},
		{"the user reads their own subtopics", "topic=user/alice/inbox&topic=public", alice, 200, ""},
		{"one private topic among public ones is refused", "topic=public&topic=user/alice", nil, 401, "user/alice"},
		{"a topic outside the demo's is refused to the signed out", "topic=secret", nil, 401, "secret"},
		{"a topic outside the demo's is refused to users", "topic=secret", alice, 403, "secret"},
		{"the bare user topic belongs to nobody", "topic=user", alice, 403, `"user"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := do(t, nil, ts, request{method: "GET", path: "/events?" + c.topics, cookie: c.cookie})
			if a.status != c.status || !strings.Contains(a.err, c.wantErr) {
				t.Errorf("got %d %q, want %d with %q", a.status, a.err, c.status, c.wantErr)
			}
			if a.status != 200 && !strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
				t.Errorf("refusal Content-Type = %q, want JSON", a.header.Get("Content-Type"))
			}
		})
	}
}

func TestByDefaultOnlyUserTopicsArePrivate(t *testing.T) {
	_, ts := newTestServer(t, server.Config{Session: security.SessionConfig{NameSignIn: true}})
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

func TestPublishNeedsTheTokenOrTheRightUser(t *testing.T) {
	srv, ts := newTestServer(t, server.Config{Authorizer: testPolicy{}, Session: security.SessionConfig{NameSignIn: true}})
	alice := signIn(t, ts, "alice")
	metric := `{"topic":"public","type":"metric","data":{"name":"x","value":1,"unit":"","at":"2026-01-01T00:00:00Z"}}`
	cases := []struct {
		name, body, auth string
		cookie           *http.Cookie
		status           int
		wantErr          string
	}{
		{"a user may notify public", notification("public", "hi"), "", alice, 200, ""},
		{"a user may publish to their own topic", notification("user/alice", "hi"), "", alice, 200, ""},
		{"a user may not publish other types to public", metric, "", alice, 403, `may not publish metric events to topic "public"`},
		{"a user may not publish to another user", notification("user/bob", "hi"), "", alice, 403, `"user/bob"`},
		{"a batch with one forbidden event is refused whole", "[" + notification("public", "a") + "," + notification("user/bob", "b") + "]", "", alice, 403, "user/bob"},
		{"the signed out must sign in", notification("public", "hi"), "", nil, 401, "sign in"},
		{"the token may publish anywhere", notification("user/bob", "hi"), "Bearer " + token, nil, 200, ""},
		{"a wrong token is refused even with a session", notification("public", "hi"), "Bearer nope", alice, 401, "wrong publish token"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := srv.Stats().Published
			a := do(t, nil, ts, request{method: "POST", path: "/publish", body: c.body, cookie: c.cookie, header: hdr("Authorization", c.auth)})
			if a.status != c.status || !strings.Contains(a.err, c.wantErr) {
				t.Errorf("got %d %q, want %d with %q", a.status, a.err, c.status, c.wantErr)
			}
			if published := srv.Stats().Published - before; (c.status == 200) != (published > 0) {
				t.Errorf("answered %d but published %d events", a.status, published)
			}
		})
	}
}

func TestASignedInUserReceivesTheirPrivateEvents(t *testing.T) {
	_, ts := newTestServer(t, server.Config{Authorizer: testPolicy{}, Session: security.SessionConfig{NameSignIn: true}})
	alice := signIn(t, ts, "alice")
	s := openStream(t, ts, "/events?topic=user/alice", hdr("Cookie", alice.Name+"="+alice.Value))
	s.start()
	status, out := publish(t, ts, notification("user/alice", "for alice only"))
	if status != 200 {
		t.Fatalf("publish: %d %v", status, out)
	}
	got := s.next()
	var n struct{ Message string }
	if len(got) != 3 || json.Unmarshal([]byte(strings.TrimPrefix(got[2], "data: ")), &n) != nil || n.Message != "for alice only" {
		t.Errorf("frame %q, want alice's notification", got)
	}
}
