package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	demo "github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server/security"
)

// Every way a private stream ends forgets it from its session's streams: the
// bookkeeping holds only open streams.
func TestTheStreamsOfASessionAreForgottenWhenTheyEnd(t *testing.T) {
	srv, err := New(Config{Schema: demo.Schema, Session: security.SessionConfig{NameSignIn: true}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Drain(); ts.Close() })
	a, b := signInCookie(t, ts.URL, "alice"), signInCookie(t, ts.URL, "alice")

	hangUp := openWithCookie(t, ts.URL, "/events?topic=user/alice", a)
	openWithCookie(t, ts.URL, "/events?topic=user/alice&topic=public", a) // ends at sign-out
	openWithCookie(t, ts.URL, "/events?topic=public", a)                  // not private: not kept
	lastOfB := openWithCookie(t, ts.URL, "/events?topic=user/alice", b)
	waitUntil(t, "both sessions' streams kept", func() bool { return srv.bySession.len() == 2 && srv.Stats().Streams == 4 })

	hangUp()
	waitUntil(t, "the hung-up stream closed", func() bool { return srv.Stats().Streams == 3 })
	req, _ := http.NewRequest("DELETE", ts.URL+"/session", nil)
	req.AddCookie(a)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE /session: %v %v", resp, err)
	}
	waitUntil(t, "the signed-out session forgotten", func() bool { return srv.bySession.len() == 1 })
	lastOfB()
	waitUntil(t, "every session forgotten", func() bool { return srv.bySession.len() == 0 && srv.Stats().Streams == 1 })
	if n := srv.Stats().Closed.SessionEnded; n != 1 {
		t.Errorf("%d streams closed with their session, want 1", n)
	}
}

// signInCookie signs name in on base and returns the session cookie.
func signInCookie(t *testing.T, base, name string) *http.Cookie {
	t.Helper()
	resp, err := http.Post(base+"/session", "application/json", strings.NewReader(`{"name":"`+name+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == security.SessionCookie && resp.StatusCode == http.StatusOK {
			return c
		}
	}
	t.Fatalf("sign in %q: %d, no session cookie", name, resp.StatusCode)
	return nil
}

// openWithCookie opens a stream of path with cookie, reads it in the background
// and returns the function that hangs up.
func openWithCookie(t *testing.T, base, path string, cookie *http.Cookie) (hangUp func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
	req.AddCookie(cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	go func() { _, _ = io.Copy(io.Discard, resp.Body); resp.Body.Close() }()
	return cancel
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
