package server_test

import (
	"net/http"
	"strings"
	"testing"

	demo "github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/internal/testlog"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
)

func TestBehindATrustedProxyEachForwardedClientHasItsOwnLimit(t *testing.T) {
	_, ts := newTestServer(t, server.Config{MaxConnsPerClient: 1, TrustedProxies: []string{"127.0.0.1"}})
	proxy := clientFrom(t, "127.0.0.1")
	steps := []struct {
		name   string
		header http.Header
		want   int
	}{
		{"a first client", hdr("X-Forwarded-For", "203.0.113.1"), 200},
		{"a second client, on the same connection's address", hdr("X-Forwarded-For", "203.0.113.2"), 200},
		{"the first client again, over its own limit", hdr("X-Forwarded-For", "203.0.113.1"), 429},
		{"a client of the same IPv6 /64 as another", hdr("X-Forwarded-For", "2001:db8::1"), 200},
		{"the other of that /64, over their shared limit", hdr("X-Forwarded-For", "2001:db8::2"), 429},
		{"the proxy's own request, counted under its address", nil, 200},
		{"a malformed header, counted under the proxy's address too", hdr("X-Forwarded-For", "203.0.113.3, not-an-address"), 429},
	}
	// Not subtests: each stream stays open until the end of the test.
	for _, s := range steps {
		resp, _ := openFrom(t, proxy, ts, "/events?topic=public", s.header)
		if s.want == 200 && resp.StatusCode != 200 {
			t.Errorf("%s: status %d, want 200", s.name, resp.StatusCode)
		}
		if s.want == 429 {
			checkBusy(t, s.name, resp, http.StatusTooManyRequests)
		}
	}
}

func TestWithoutTrustAForgedForwardedForIsIgnored(t *testing.T) {
	cases := []struct {
		name    string
		trusted []string
	}{
		{"when no proxy is trusted", nil},
		{"when the peer is not among the trusted proxies", []string{"10.0.0.0/8", "127.0.0.2"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var logs testlog.Buffer
			_, ts := newTestServer(t, server.Config{MaxConnsPerClient: 1, TrustedProxies: c.trusted, Logger: logs.Logger()})
			client := clientFrom(t, "127.0.0.3")
			first, _ := openFrom(t, client, ts, "/events?topic=public", hdr("X-Forwarded-For", "203.0.113.1"))
			if first.StatusCode != 200 {
				t.Fatalf("first stream: %d", first.StatusCode)
			}
			second, _ := openFrom(t, client, ts, "/events?topic=public", hdr("X-Forwarded-For", "203.0.113.2"))
			checkBusy(t, "a second stream under another forged address", second, http.StatusTooManyRequests)
			out := logs.String()
			if !strings.Contains(out, "client=127.0.0.3:") || strings.Contains(out, "203.0.113") || strings.Contains(out, "proxy=") {
				t.Errorf("the refusal is not logged under the peer's address alone:\n%s", out)
			}
		})
	}
}

func TestTheClientBehindTrustedProxiesIsTheRightMostUntrustedAddress(t *testing.T) {
	var logs testlog.Buffer
	_, ts := newTestServer(t, server.Config{TrustedProxies: []string{"127.0.0.1", "10.0.0.0/8", "::ffff:192.0.2.0/120"}, Logger: logs.Logger()})
	const peer = "" // the client is the proxy itself
	cases := []struct {
		name   string
		header http.Header
		want   string
	}{
		{"one client behind one proxy", hdr("X-Forwarded-For", "203.0.113.9"), "203.0.113.9"},
		{"the address the proxy appended, not the one the client forged", hdr("X-Forwarded-For", "198.51.100.1, 203.0.113.9"), "203.0.113.9"},
		{"trusted proxies on the right are skipped", hdr("X-Forwarded-For", "198.51.100.1, 203.0.113.9, 10.0.0.5,10.0.0.6"), "203.0.113.9"},
		{"a trusted network given as IPv6 holds its IPv4 addresses", hdr("X-Forwarded-For", "203.0.113.9, 192.0.2.4"), "203.0.113.9"},
		{"several header lines are one list", hdr("X-Forwarded-For", "198.51.100.1", "X-Forwarded-For", "203.0.113.9, 10.0.0.5"), "203.0.113.9"},
		{"garbage left of the client is not read", hdr("X-Forwarded-For", "<script>, 203.0.113.9"), "203.0.113.9"},
		{"an IPv6 client", hdr("X-Forwarded-For", " 2001:db8::7 "), "2001:db8::7"},
		{"IPv4 written as IPv6", hdr("X-Forwarded-For", "::ffff:203.0.113.9"), "203.0.113.9"},
		{"every address trusted: the farthest", hdr("X-Forwarded-For", "10.0.0.5, 10.0.0.6"), "10.0.0.5"},
		{"no header", nil, peer},
		{"an empty header", hdr("X-Forwarded-For", ""), peer},
		{"not an address", hdr("X-Forwarded-For", "unknown"), peer},
		{"an address with a port", hdr("X-Forwarded-For", "203.0.113.9:4711"), peer},
		{"an address with a zone", hdr("X-Forwarded-For", "fe80::1%eth0"), peer},
		{"an empty entry on the right", hdr("X-Forwarded-For", "203.0.113.9,"), peer},
		{"garbage among the trusted hops", hdr("X-Forwarded-For", "203.0.113.9, bogus, 10.0.0.5"), peer},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(logs.String())
			// Signed out, a private topic is refused: one log line that
			// names the client.
			if a := do(t, nil, ts, request{method: "GET", path: "/events?topic=user/alice", header: c.header}); a.status != 401 {
				t.Fatalf("status %d, want 401", a.status)
			}
			line := logs.String()[before:]
			if c.want == peer {
				if !strings.Contains(line, "client=127.0.0.1:") || strings.Contains(line, "proxy=") {
					t.Errorf("log line %q, want the peer as the client", line)
				}
				return
			}
			if !strings.Contains(line, "client="+c.want+" ") || !strings.Contains(line, "proxy=127.0.0.1:") {
				t.Errorf("log line %q, want client=%s behind proxy=127.0.0.1", line, c.want)
			}
		})
	}
}

func TestABadTrustedProxyIsAConfigErrorNamingIt(t *testing.T) {
	for _, bad := range []string{"10.0.0.300", "10.0.0.0/33", "proxy.internal", "fe80::1%eth0", ""} {
		_, err := server.New(server.Config{Schema: demo.Schema, TrustedProxies: []string{"10.0.0.0/8", bad}})
		if err == nil || !strings.Contains(err.Error(), "TrustedProxies") || !strings.Contains(err.Error(), `"`+bad+`"`) {
			t.Errorf("TrustedProxies %q: error %v, want one naming the setting and the entry", bad, err)
		}
	}
	got, err := security.ParseTrustedProxies(" 10.0.0.0/8, ,192.0.2.7 ")
	if err != nil || strings.Join(got, "|") != "10.0.0.0/8|192.0.2.7" {
		t.Errorf("ParseTrustedProxies: %q %v, want the two entries", got, err)
	}
	if _, err := security.ParseTrustedProxies("10.0.0.0/8, nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("ParseTrustedProxies with a bad entry: %v, want an error naming it", err)
	}
}
