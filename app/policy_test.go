//go:build !(js && wasm)

package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
	"github.com/heraldhq/herald/shared"
)

func TestTheDemoPolicyDecidesWhoReadsAndPublishes(t *testing.T) {
	alice, bob, nobody := security.User{Name: "alice"}, security.User{Name: "bob"}, security.User{}
	cases := []struct {
		name      string
		user      security.User
		topic     string
		eventType string // "" asks CanRead
		want      bool
	}{
		{"anyone reads the public topic", nobody, events.PublicTopic, "", true},
		{"anyone reads the metrics topic", nobody, events.MetricsTopic, "", true},
		{"anyone reads the logs topic", nobody, events.LogsTopic, "", true},
		{"the signed out may not read a user topic", nobody, shared.UserTopic("alice"), "", false},
		{"a user reads their own topic", alice, shared.UserTopic("alice"), "", true},
		{"a user reads their own subtopics", alice, shared.UserTopic("alice") + "/inbox", "", true},
		{"a user may not read another's topic", bob, shared.UserTopic("alice"), "", false},
		{"a user may not read a topic that merely starts with their own", alice, shared.UserTopic("alice") + "x", "", false},
		{"the bare user topic belongs to nobody", alice, "user", "", false},
		{"a topic outside the demo's is refused", alice, "secret", "", false},
		{"a user may notify the public topic", alice, events.PublicTopic, events.Notify.Name(), true},
		{"the signed out may not notify the public topic", nobody, events.PublicTopic, events.Notify.Name(), false},
		{"a user may not publish metrics to the public topic", alice, events.PublicTopic, events.MetricEvent.Name(), false},
		{"a user may not publish to the metrics topic", alice, events.MetricsTopic, events.MetricEvent.Name(), false},
		{"a user may not publish to the logs topic", alice, events.LogsTopic, events.LogEvent.Name(), false},
		{"a user may publish anything to their own topic", alice, shared.UserTopic("alice"), events.ProgressEvent.Name(), true},
		{"a user may not publish to another's topic", alice, shared.UserTopic("bob"), events.Notify.Name(), false},
		{"the signed out may not publish to a user topic", nobody, shared.UserTopic(""), events.Notify.Name(), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := demoPolicy{}.CanRead(c.user, c.topic)
			if c.eventType != "" {
				got = demoPolicy{}.CanPublish(c.user, c.topic, c.eventType)
			}
			if got != c.want {
				t.Errorf("user %q, topic %q, type %q: got %v, want %v", c.user.Name, c.topic, c.eventType, got, c.want)
			}
		})
	}
}

func TestTheServerAnswersTheDemoPolicysRefusals(t *testing.T) {
	ts := newPolicyServer(t)
	alice, bob := signInCookie(t, ts.URL, "alice"), signInCookie(t, ts.URL, "bob")
	notify := func(topic string) string {
		return `{"topic":"` + topic + `","type":"notification","data":{"user":"alice","message":"hi"}}`
	}
	metric := `{"topic":"public","type":"metric","data":{"name":"x","value":1,"unit":"","at":"2026-01-01T00:00:00Z"}}`
	cases := []struct {
		name, method, path, body, cookie string
		status                           int
		wantErr                          string
	}{
		{"anyone streams the public topics", "GET", "/events?topic=public&topic=metrics&topic=logs", "", "", 200, ""},
		{"a signed-out reader of a user topic gets 401", "GET", "/events?topic=user/alice", "", "", 401, `sign in to read topic "user/alice"`},
		{"another user gets 403", "GET", "/events?topic=user/alice", "", bob, 403, `user "bob" may not read topic "user/alice"`},
		{"the user streams their own subtopics", "GET", "/events?topic=user/alice/inbox&topic=public", "", alice, 200, ""},
		{"one private topic among public ones is refused", "GET", "/events?topic=public&topic=user/alice", "", "", 401, "user/alice"},
		{"a topic outside the demo's is refused", "GET", "/events?topic=secret", "", alice, 403, "secret"},
		{"a user notifies the public topic", "POST", "/publish", notify("public"), alice, 200, ""},
		{"a user may not publish other types to the public topic", "POST", "/publish", metric, alice, 403, `may not publish metric events to topic "public"`},
		{"a batch with one forbidden event is refused whole", "POST", "/publish", "[" + notify("public") + "," + notify("user/bob") + "]", alice, 403, "user/bob"},
		{"the signed out must sign in to publish", "POST", "/publish", notify("public"), "", 401, "sign in"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, msg := askStatus(t, ts.URL, c.method, c.path, c.body, c.cookie)
			if status != c.status || !strings.Contains(msg, c.wantErr) {
				t.Errorf("%s %s: got %d %q, want %d with %q", c.method, c.path, status, msg, c.status, c.wantErr)
			}
		})
	}
}

// newPolicyServer returns a test server of the API under the demo's policy,
// with sign-in by name.
func newPolicyServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv, err := server.New(server.Config{Schema: events.Schema, Authorizer: demoPolicy{}, Session: security.SessionConfig{NameSignIn: true}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Drain(); ts.Close() })
	return ts
}

// signInCookie signs in as name at base and returns the session cookie as a
// Cookie header's value.
func signInCookie(t *testing.T, base, name string) string {
	t.Helper()
	resp, err := http.Post(base+"/session", "application/json", strings.NewReader(`{"name":"`+name+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie string
	for _, c := range resp.Cookies() {
		cookie = c.Name + "=" + c.Value
	}
	if resp.StatusCode != http.StatusOK || cookie == "" {
		t.Fatalf("sign in as %q: %d, cookie %q", name, resp.StatusCode, cookie)
	}
	return cookie
}

// askStatus sends a request and returns its status and, for a refusal, the
// error it gives. It does not wait for a stream's events.
func askStatus(t *testing.T, base, method, path, body, cookie string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, method, base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		return resp.StatusCode, ""
	}
	var refusal struct{ Error string }
	if err := json.NewDecoder(resp.Body).Decode(&refusal); err != nil {
		t.Fatalf("%s %s: %d with a body that is not a JSON error: %v", method, path, resp.StatusCode, err)
	}
	return resp.StatusCode, refusal.Error
}
