package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
)

const (
	allowedOrigin = "http://app.localhost:3000"
	foreignOrigin = "http://evil.localhost:4000"
)

// varies reports whether h's Vary header names field.
func varies(h http.Header, field string) bool {
	for _, v := range h.Values("Vary") {
		for f := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), field) {
				return true
			}
		}
	}
	return false
}

func TestPreflightOfAnAllowedOriginAllowsCredentialsAndTheHeadersItNeeds(t *testing.T) {
	_, ts := newTestServer(t, server.Config{AllowedOrigins: []string{allowedOrigin}})
	cases := []struct {
		name, path, method, headers string
	}{
		{"a stream that resumes may send Last-Event-ID", "/events", "GET", "last-event-id"},
		{"a publish may send a JSON Content-Type", "/publish", "POST", "content-type"},
		{"a sign-in may send a JSON Content-Type", "/session", "POST", "content-type"},
		{"a sign-out may use DELETE", "/session", "DELETE", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := hdr("Origin", allowedOrigin, "Access-Control-Request-Method", c.method)
			if c.headers != "" {
				h.Set("Access-Control-Request-Headers", c.headers)
			}
			a := do(t, nil, ts, request{method: "OPTIONS", path: c.path, header: h})
			want := map[string]string{
				"Access-Control-Allow-Origin":      allowedOrigin,
				"Access-Control-Allow-Credentials": "true",
				"Access-Control-Allow-Methods":     c.method,
				"Access-Control-Allow-Headers":     c.headers,
				"Access-Control-Max-Age":           "600",
			}
			if a.status != http.StatusNoContent {
				t.Errorf("status %d, want 204", a.status)
			}
			for k, v := range want {
				if got := a.header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if !varies(a.header, "Origin") {
				t.Errorf("Vary = %q, want Origin in it", a.header.Values("Vary"))
			}
		})
	}
}

func TestPreflightRefusesWhatIsNotAllowed(t *testing.T) {
	_, ts := newTestServer(t, server.Config{AllowedOrigins: []string{allowedOrigin}})
	cases := []struct {
		name, origin, method, headers string
	}{
		{"an origin not in the list", foreignOrigin, "GET", "last-event-id"},
		{"the null origin", "null", "GET", ""},
		{"an allowed origin's subdomain", "http://x.app.localhost:3000", "GET", ""},
		{"an allowed origin on another port", "http://app.localhost:3001", "GET", ""},
		{"an allowed origin asking to send Authorization", allowedOrigin, "POST", "authorization"},
		{"an allowed origin asking for PUT", allowedOrigin, "PUT", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := hdr("Origin", c.origin, "Access-Control-Request-Method", c.method)
			if c.headers != "" {
				h.Set("Access-Control-Request-Headers", c.headers)
			}
			a := do(t, nil, ts, request{method: "OPTIONS", path: "/publish", header: h})
			for _, k := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods"} {
				if v := a.header.Get(k); v != "" {
					t.Errorf("%s = %q, want none", k, v)
				}
			}
		})
	}
}

func TestAStreamFromAnAllowedOriginCarriesExactCORSHeaders(t *testing.T) {
	_, ts := newTestServer(t, server.Config{AllowedOrigins: []string{allowedOrigin, "https://other.example"}})
	resp, _ := openFrom(t, http.DefaultClient, ts, "/events?topic=public", hdr("Origin", allowedOrigin, "Sec-Fetch-Site", "same-site"))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d, want 200", resp.StatusCode)
	}
	if got := resp.Header.Values("Access-Control-Allow-Origin"); !slices.Equal(got, []string{allowedOrigin}) {
		t.Errorf("Access-Control-Allow-Origin = %q, want exactly %q", got, allowedOrigin)
	}
	if got := resp.Header.Get("Access-Control-Allow-Credentials"); got != "true" {
		t.Errorf("Access-Control-Allow-Credentials = %q, want true", got)
	}
	if !varies(resp.Header, "Origin") {
		t.Errorf("Vary = %q, want Origin in it", resp.Header.Values("Vary"))
	}
}

func TestNoAnswerEverAllowsEveryOrigin(t *testing.T) {
	for _, origins := range [][]string{nil, {allowedOrigin}} {
		_, ts := newTestServer(t, server.Config{AllowedOrigins: origins})
		for _, req := range []request{
			{method: "OPTIONS", path: "/events", header: hdr("Origin", foreignOrigin, "Access-Control-Request-Method", "GET")},
			{method: "GET", path: "/session", header: hdr("Origin", foreignOrigin)},
			{method: "GET", path: "/session", header: hdr("Origin", allowedOrigin)},
		} {
			a := do(t, nil, ts, req)
			if v := a.header.Get("Access-Control-Allow-Origin"); v == "*" || (v != "" && v != allowedOrigin) {
				t.Errorf("origins %q, %s %s from %s: Access-Control-Allow-Origin = %q", origins, req.method, req.path, req.header.Get("Origin"), v)
			}
		}
	}
}

func TestAllowedOriginsMustBeExact(t *testing.T) {
	cases := []struct {
		name, list string
		want       []string
		wantErr    string
	}{
		{"exact origins are kept in browser form", "https://App.Example.com, http://localhost:3000", []string{"https://app.example.com", "http://localhost:3000"}, ""},
		{"default ports are dropped", "https://a.example:443,http://b.example:80", []string{"https://a.example", "http://b.example"}, ""},
		{"IPv6 hosts keep their brackets", "http://[::1]:8080", []string{"http://[::1]:8080"}, ""},
		{"an empty list allows none", " , ", nil, ""},
		{"the wildcard is refused", "*", nil, "exact origins"},
		{"a pattern is refused", "https://*.example.com", nil, "exact origins"},
		{"null is refused", "null", nil, "exact origins"},
		{"a path is refused", "https://app.example.com/", nil, "path"},
		{"a scheme other than http and https is refused", "ftp://example.com", nil, "scheme"},
		{"a bare host is refused", "example.com", nil, "scheme"},
		{"a user is refused", "https://me@example.com", nil, "user"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := security.ParseOrigins(c.list)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Errorf("ParseOrigins(%q) = %q, %v; want an error with %q", c.list, got, err, c.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, c.want) {
				t.Errorf("ParseOrigins(%q) = %q, %v; want %q", c.list, got, err, c.want)
			}
		})
	}
}
