//go:build !(js && wasm)

package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/internal/natstest"
)

// send sends method base+path with body and cookie, and returns the
// response, its body closed.
func send(t *testing.T, method, url, body string, cookie *http.Cookie) *http.Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if cookie != nil {
		req.AddCookie(cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	resp.Body.Close()
	return resp
}

func TestTheBinaryOnNATSRefusesOnEveryServerASessionSignedOutOnOne(t *testing.T) {
	ns := natstest.Start(t)
	shared := []string{"-broker", ns.URL(), "-name-sign-in",
		"-cookie-hash-key", strings.Repeat("ab", 32), "-cookie-block-key", strings.Repeat("cd", 32)}
	one, other := startServe(t, shared...), startServe(t, shared...)
	in := send(t, "POST", one+"/session", `{"name":"alice"}`, nil)
	if in.StatusCode != http.StatusOK || len(in.Cookies()) != 1 {
		t.Fatalf("sign in: %d %q", in.StatusCode, in.Header.Values("Set-Cookie"))
	}
	cookie := in.Cookies()[0]
	if got := send(t, "GET", other+"/session", "", cookie).StatusCode; got != http.StatusOK {
		t.Fatalf("GET /session on the other server before sign-out: %d, want 200", got)
	}
	if got := send(t, "DELETE", one+"/session", "", cookie).StatusCode; got != http.StatusNoContent {
		t.Fatalf("sign out: %d, want 204", got)
	}
	if got := send(t, "GET", other+"/session", "", cookie).StatusCode; got != http.StatusUnauthorized {
		t.Errorf("GET /session on the other server with the cookie kept after sign-out: %d, want 401", got)
	}
}
