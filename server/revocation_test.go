package server_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
)

// replays are the requests a copy of alice's cookie is tried on after she
// signs out: each must then be answered 401.
var replays = []request{
	{method: "GET", path: "/session"},
	{method: "GET", path: "/events?topic=user/alice"},
	{method: "POST", path: "/publish", body: `{"topic":"user/alice","type":"notification","data":{"user":"alice","message":"hi","level":"info"}}`},
}

// replay sends each of replays to ts with cookie and returns the statuses.
func replay(t *testing.T, ts *httptest.Server, cookie *http.Cookie) []int {
	t.Helper()
	var got []int
	for _, r := range replays {
		r.cookie = cookie
		r.header = hdr("Content-Type", "application/json")
		got = append(got, do(t, nil, ts, r).status)
	}
	return got
}

func TestACookieKeptAfterSignOutIsRefused(t *testing.T) {
	revocations := &security.MemoryRevocations{}
	_, ts := newTestServer(t, server.Config{Session: security.SessionConfig{NameSignIn: true}, Revocations: revocations})
	cookie := signIn(t, ts, "alice")
	before := replay(t, ts, cookie)
	for i, status := range before {
		if status == http.StatusUnauthorized {
			t.Fatalf("%s %s before sign-out: 401, want the cookie accepted", replays[i].method, replays[i].path)
		}
	}
	if a := do(t, nil, ts, request{method: "DELETE", path: "/session", cookie: cookie}); a.status != http.StatusNoContent {
		t.Fatalf("DELETE /session: %d %s", a.status, a.body)
	}
	for i, status := range replay(t, ts, cookie) {
		if status != http.StatusUnauthorized {
			t.Errorf("%s %s with the cookie kept after sign-out: %d, want 401", replays[i].method, replays[i].path, status)
		}
	}
	if n := revocations.Len(); n != 1 {
		t.Errorf("revocations kept: %d, want the one session signed out", n)
	}
	if a := do(t, nil, ts, request{method: "GET", path: "/session", cookie: signIn(t, ts, "alice")}); a.status != http.StatusOK {
		t.Errorf("GET /session after signing in again: %d %s, want 200", a.status, a.body)
	}
}
