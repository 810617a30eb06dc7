package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/heraldhq/herald/internal/testlog"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
)

func TestRequestsFromOriginsNotAllowedGet403(t *testing.T) {
	srv, ts := newTestServer(t, server.Config{AllowedOrigins: []string{allowedOrigin}, Session: security.SessionConfig{NameSignIn: true}})
	alice := signIn(t, ts, "alice")
	bearer := "Bearer " + token
	cases := []struct {
		name string
		req  request
	}{
		{"a stream from a foreign origin", request{method: "GET", path: "/events?topic=public",
			header: hdr("Origin", foreignOrigin, "Sec-Fetch-Site", "same-site", "Sec-Fetch-Mode", "cors")}},
		{"a stream from a foreign origin carrying the session cookie", request{method: "GET", path: "/events?topic=user/alice",
			header: hdr("Origin", foreignOrigin, "Sec-Fetch-Site", "cross-site"), cookie: alice}},
		{"a stream from a foreign origin of a browser without Fetch Metadata", request{method: "GET", path: "/events?topic=public",
			header: hdr("Origin", foreignOrigin)}},
		{"a stream from the null origin", request{method: "GET", path: "/events?topic=public",
			header: hdr("Origin", "null", "Sec-Fetch-Site", "cross-site")}},
		{"a cross-site stream without an Origin", request{method: "GET", path: "/events?topic=public",
			header: hdr("Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "no-cors")}},
		{"a publish from a foreign origin, even with the token", request{method: "POST", path: "/publish", body: notification("public", "csrf"),
			header: hdr("Origin", foreignOrigin, "Sec-Fetch-Site", "cross-site", "Authorization", bearer)}},
		{"a publish from a foreign origin with the session cookie", request{method: "POST", path: "/publish", body: notification("public", "csrf"),
			header: hdr("Origin", foreignOrigin, "Sec-Fetch-Site", "same-site", "Content-Type", "text/plain"), cookie: alice}},
		{"a publish from a foreign origin of an old browser", request{method: "POST", path: "/publish", body: notification("public", "csrf"),
			header: hdr("Origin", foreignOrigin, "Authorization", bearer)}},
		{"a sign-in from a foreign origin", request{method: "POST", path: "/session", body: `{"name":"mallory"}`,
			header: hdr("Origin", foreignOrigin, "Sec-Fetch-Site", "cross-site")}},
		{"a sign-out from a foreign origin", request{method: "DELETE", path: "/session",
			header: hdr("Origin", foreignOrigin, "Sec-Fetch-Site", "cross-site"), cookie: alice}},
		{"a session read from a foreign origin", request{method: "GET", path: "/session",
			header: hdr("Origin", foreignOrigin, "Sec-Fetch-Site", "cross-site"), cookie: alice}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := srv.Stats().Published
			a := do(t, nil, ts, c.req)
			if a.status != http.StatusForbidden || !strings.Contains(a.err, "cross-origin request refused") {
				t.Errorf("got %d %q, want 403 refusing the cross-origin request", a.status, a.err)
			}
			if n := srv.Stats().Published - before; n != 0 {
				t.Errorf("%d events were published", n)
			}
			if len(a.header.Values("Set-Cookie")) != 0 {
				t.Errorf("the refusal set a cookie: %q", a.header.Values("Set-Cookie"))
			}
		})
	}
}

func TestSameOriginAllowedOriginsAndNonBrowserClientsPass(t *testing.T) {
	_, ts := newTestServer(t, server.Config{AllowedOrigins: []string{allowedOrigin}})
	self := "http://" + strings.TrimPrefix(ts.URL, "http://")
	cases := []struct {
		name   string
		header http.Header
	}{
		{"a client without Origin or Fetch Metadata", nil},
		{"a same-origin request", hdr("Origin", self, "Sec-Fetch-Site", "same-origin")},
		{"a same-origin request of a browser without Fetch Metadata", hdr("Origin", self)},
		{"a request the user typed", hdr("Sec-Fetch-Site", "none")},
		{"an allowed origin on the same site", hdr("Origin", allowedOrigin, "Sec-Fetch-Site", "same-site")},
		{"an allowed origin on another site", hdr("Origin", allowedOrigin, "Sec-Fetch-Site", "cross-site")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if a := do(t, nil, ts, request{method: "GET", path: "/events?topic=public", header: c.header}); a.status != 200 {
				t.Errorf("stream: %d %q, want 200", a.status, a.err)
			}
			if a := do(t, nil, ts, request{method: "POST", path: "/publish", body: notification("public", "x"), header: withAuth(c.header)}); a.status != 200 {
				t.Errorf("publish: %d %q, want 200", a.status, a.err)
			}
		})
	}
}

// withAuth returns a copy of h with the publish token.
func withAuth(h http.Header) http.Header {
	h = h.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("Authorization", "Bearer "+token)
	return h
}

func TestCredentialsInTheURLAreRefused(t *testing.T) {
	_, ts := newTestServer(t, server.Config{})
	cases := []struct {
		name string
		req  request
		what string
	}{
		{"a token parameter on a stream", request{method: "GET", path: "/events?topic=public&token=" + token}, `"token"`},
		{"an access_token parameter on a stream", request{method: "GET", path: "/events?topic=public&access_token=abc"}, `"access_token"`},
		{"a parameter named in another case", request{method: "GET", path: "/events?topic=public&Access_Token=abc"}, `"Access_Token"`},
		{"a token parameter on a publish", request{method: "POST", path: "/publish?token=" + token, body: notification("public", "x")}, `"token"`},
		{"the session cookie as a parameter", request{method: "GET", path: "/session?" + security.SessionCookie + "=x"}, security.SessionCookie},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := do(t, nil, ts, c.req)
			if a.status != http.StatusBadRequest || !strings.Contains(a.err, "credentials in the URL") || !strings.Contains(a.err, c.what) {
				t.Errorf("got %d %q, want 400 naming %s", a.status, a.err, c.what)
			}
		})
	}
}

func TestEveryRefusalIsLoggedOnceWithoutSecrets(t *testing.T) {
	var logs testlog.Buffer
	_, ts := newTestServer(t, server.Config{
		Logger:         logs.Logger(),
		AllowedOrigins: []string{allowedOrigin},
		Session:        security.SessionConfig{NameSignIn: true},
	})
	alice := signIn(t, ts, "alice")
	tampered := *alice
	tampered.Value = "x" + tampered.Value[1:]
	const secret = "s3cret-value"
	refusals := []request{
		{method: "POST", path: "/publish", body: notification("public", secret), header: hdr("Authorization", "Bearer "+secret)},
		{method: "GET", path: "/events?topic=public&access_token=" + secret},
		{method: "GET", path: "/events?topic=user/alice", cookie: &tampered},
		{method: "GET", path: "/events?topic=public", header: hdr("Origin", foreignOrigin, "Sec-Fetch-Site", "cross-site"), cookie: alice},
		{method: "POST", path: "/publish", body: `{"topic":"public","type":"notification","data":{"message":"` + secret + `"`, header: hdr("Authorization", "Bearer "+token)},
	}
	for _, req := range refusals {
		if a := do(t, nil, ts, req); a.status < 400 {
			t.Fatalf("%s %s: %d, want a refusal", req.method, req.path, a.status)
		}
	}
	// Signed out is an answer to GET /session, not a refusal.
	if a := do(t, nil, ts, request{method: "GET", path: "/session"}); a.status != 401 {
		t.Fatalf("GET /session signed out: %d, want 401", a.status)
	}
	out := logs.String()
	if n := strings.Count(out, `msg="request refused"`); n != len(refusals) {
		t.Errorf("%d refusal lines for %d refusals:\n%s", n, len(refusals), out)
	}
	for _, leak := range []string{secret, token, alice.Value, tampered.Value} {
		if strings.Contains(out, leak) {
			t.Errorf("the log holds %q:\n%s", leak, out)
		}
	}
	for _, reason := range []string{"wrong publish token", "credentials in the URL", "sign in to read", "cross-origin request refused", "not valid JSON"} {
		if !strings.Contains(out, reason) {
			t.Errorf("no log line says %q:\n%s", reason, out)
		}
	}
}
