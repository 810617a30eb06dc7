package natsbroker_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	demo "github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/internal/natstest"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/natsbroker"
	"github.com/heraldhq/herald/server/security"
)

// sharedSession is the session config of servers that share their users:
// the same cookie keys, and sign-in by name for the tests.
var sharedSession = security.SessionConfig{
	HashKey:    bytes.Repeat([]byte{1}, 32),
	BlockKey:   bytes.Repeat([]byte{2}, 32),
	NameSignIn: true,
}

// newRevokingNode starts a Herald server on a broker of its own on the NATS
// server at url, whose revoked sessions are in the bucket of that NATS.
func newRevokingNode(t *testing.T, url string) *httptest.Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := natsbroker.Open(ctx, natsbroker.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	revocations, err := b.Revocations(ctx, "", time.Hour)
	if err != nil {
		b.Close()
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{Schema: demo.Schema, Broker: b, Session: sharedSession, Revocations: revocations})
	if err != nil {
		b.Close()
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Drain(); ts.Close() })
	return ts
}

// call sends method path with body and cookie to ts and returns the
// response, whose body it closes.
func call(t *testing.T, ts *httptest.Server, method, path, body string, cookie *http.Cookie) *http.Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if cookie != nil {
		req.AddCookie(cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	resp.Body.Close()
	return resp
}

func TestASessionSignedOutOnOneServerIsRefusedByAnotherSharingTheBucket(t *testing.T) {
	ns := natstest.Start(t)
	one, other := newRevokingNode(t, ns.URL()), newRevokingNode(t, ns.URL())
	signIn := call(t, one, "POST", "/session", `{"name":"alice"}`, nil)
	if signIn.StatusCode != http.StatusOK || len(signIn.Cookies()) != 1 {
		t.Fatalf("sign in on one server: %d, cookies %q", signIn.StatusCode, signIn.Header.Values("Set-Cookie"))
	}
	cookie := signIn.Cookies()[0]
	replays := []struct{ method, path, body string }{
		{"GET", "/session", ""},
		{"GET", "/events?topic=user/alice", ""},
		{"POST", "/publish", `{"topic":"user/alice","type":"notification","data":{"user":"alice","message":"hi","level":"info"}}`},
	}
	for _, r := range replays {
		if got := call(t, other, r.method, r.path, r.body, cookie).StatusCode; got == http.StatusUnauthorized {
			t.Fatalf("%s %s on the other server before sign-out: 401, want the cookie accepted", r.method, r.path)
		}
	}
	if got := call(t, one, "DELETE", "/session", "", cookie).StatusCode; got != http.StatusNoContent {
		t.Fatalf("sign out on one server: %d, want 204", got)
	}
	for _, r := range replays {
		if got := call(t, other, r.method, r.path, r.body, cookie).StatusCode; got != http.StatusUnauthorized {
			t.Errorf("%s %s on the other server with the cookie kept after sign-out: %d, want 401", r.method, r.path, got)
		}
	}
}
