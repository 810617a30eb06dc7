package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
)

// batchOf returns a JSON array of n notifications to topic.
func batchOf(topic string, n int) string {
	events := make([]string, n)
	for i := range events {
		events[i] = notification(topic, strconv.Itoa(i))
	}
	return "[" + strings.Join(events, ",") + "]"
}

func TestPublishRatesAreBoundedPerUserAndForTheToken(t *testing.T) {
	srv, ts := newTestServer(t, server.Config{
		Authorizer:       testPolicy{},
		Session:          security.SessionConfig{NameSignIn: true},
		UserPublishRate:  0.01,
		UserPublishBurst: 10,
		TokenPublishRate: 0.01, TokenPublishBurst: 20,
	})
	alice, bob := signIn(t, ts, "alice"), signIn(t, ts, "bob")
	tests := []struct {
		name    string
		body    string
		cookie  *http.Cookie
		auth    string
		status  int
		wantErr string
	}{
		{"a user publishes within the burst", batchOf("user/alice", 8), alice, "", 200, ""},
		{"a batch that would go over the burst is refused whole", batchOf("user/alice", 3), alice, "", 429, "try again in"},
		{"what is left of the burst may still be published", batchOf("user/alice", 2), alice, "", 200, ""},
		{"one more is refused", notification("public", "x"), alice, "", 429, "over the limit"},
		{"another user has a rate of their own", batchOf("user/bob", 10), bob, "", 200, ""},
		{"a batch larger than the burst can never pass", batchOf("user/bob", 11), bob, "", 413, "11 at once is over the limit of 10"},
		{"the token has a rate of its own", batchOf("public", 20), nil, "Bearer " + token, 200, ""},
		{"the token is limited too", notification("public", "x"), nil, "Bearer " + token, 429, "publish with the token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := do(t, nil, ts, request{method: "POST", path: "/publish", body: tt.body, cookie: tt.cookie, header: hdr("Authorization", tt.auth)})
			if a.status != tt.status || !strings.Contains(a.err, tt.wantErr) {
				t.Errorf("got %d %q, want %d with %q", a.status, a.err, tt.status, tt.wantErr)
			}
			if retry, _ := strconv.Atoi(a.header.Get("Retry-After")); tt.status == 429 && retry < 1 {
				t.Errorf("Retry-After %q, want a number of seconds", a.header.Get("Retry-After"))
			}
		})
	}
	if st := srv.Stats(); st.Published != 8+2+10+20 || st.Refused.Limit != 4 {
		t.Errorf("published %d and refused %d over a limit, want 40 and 4", st.Published, st.Refused.Limit)
	}
}

func TestSignInsAreRateLimitedPerClientAddress(t *testing.T) {
	srv, ts := newTestServer(t, server.Config{Session: security.SessionConfig{NameSignIn: true}, SignInRate: 0.01, SignInBurst: 3})
	signInFrom := func(client *http.Client, name string) answer {
		return do(t, client, ts, request{method: "POST", path: "/session", body: `{"name":"` + name + `"}`, header: hdr("Content-Type", "application/json")})
	}
	for i := range 3 {
		if a := signInFrom(nil, fmt.Sprintf("u%d", i)); a.status != http.StatusOK {
			t.Fatalf("sign-in %d: %d %q, want 200", i, a.status, a.err)
		}
	}
	if a := signInFrom(nil, "u3"); a.status != http.StatusTooManyRequests || a.header.Get("Retry-After") == "" {
		t.Errorf("sign-in over the burst: %d with Retry-After %q, want 429 with one", a.status, a.header.Get("Retry-After"))
	}
	if a := signInFrom(clientFrom(t, "127.0.0.2"), "u4"); a.status != http.StatusOK {
		t.Errorf("sign-in from another address: %d %q, want 200", a.status, a.err)
	}
	if n := srv.Stats().Refused.Limit; n != 1 {
		t.Errorf("%d sign-ins counted over a limit, want 1", n)
	}
}

// A user may flood their own topic as fast as their rate allows: what is
// published to public meanwhile stays in the history, and a client that
// resumes public gets all of it, with no gap.
func TestAUserFloodingTheirTopicCannotFlushPublicFromTheHistory(t *testing.T) {
	const (
		history = 100
		batch   = 50
		batches = 20 // the flood is ten times the history
	)
	_, ts := newTestServer(t, server.Config{
		Authorizer:       testPolicy{},
		Session:          security.SessionConfig{NameSignIn: true},
		HistoryEvents:    history,
		UserPublishRate:  2_000, // a batch every 25ms
		UserPublishBurst: batch,
	})
	mallory := signIn(t, ts, "mallory")
	first := publishID(t, ts, notification("public", "before"))
	var want []string
	for i := range batches {
		time.Sleep(30 * time.Millisecond) // the flood keeps within the rate
		a := do(t, nil, ts, request{method: "POST", path: "/publish", body: batchOf("user/mallory", batch), cookie: mallory})
		if a.status != http.StatusOK {
			t.Fatalf("flood batch %d: %d %q, want it within the rate", i, a.status, a.err)
		}
		want = append(want, publishID(t, ts, notification("public", strconv.Itoa(i))))
	}
	s := openStream(t, ts, "/events?topic=public", hdr("Last-Event-ID", first))
	for i, id := range want {
		if got := s.nextEvent(); got != id {
			t.Fatalf("event %d of the resume is %q, want %s: no gap, nothing lost", i, got, id)
		}
	}
}

// publishID publishes body with the token and returns the event's id.
func publishID(t *testing.T, ts *httptest.Server, body string) string {
	t.Helper()
	status, out := publish(t, ts, body)
	id, _ := out["id"].(string)
	if status != http.StatusOK || id == "" {
		t.Fatalf("publish: %d %v", status, out)
	}
	return id
}
