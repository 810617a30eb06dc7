package security

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// A Host header is the client's: whatever it holds, the loopback allowlist
// lets through only a loopback name, with any port.
func FuzzLoopbackHostCheck(f *testing.F) {
	for _, s := range []string{"localhost", "127.0.0.1:8000", "[::1]:9", "evil.example", "LOCALHOST:1", "[::1", "localhost:", "a@localhost", "127.0.0.1:80:80", "\x00"} {
		f.Add(s)
	}
	hosts, err := NewHosts(nil, true)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, host string) {
		r := httptest.NewRequest("GET", "http://x/events", nil)
		r.Host = host
		if hosts.Check(r) != nil {
			return
		}
		name, _, err := splitHost(host)
		if err != nil || (name != "localhost" && name != "127.0.0.1" && name != "::1") {
			t.Fatalf("Host %q passed the loopback allowlist as %q (%v)", host, name, err)
		}
	})
}

// X-Forwarded-For is the client's too, but for what the trusted proxies
// append: the client it names is never a trusted proxy unless every entry
// is one, and a header that is not a list of addresses leaves the peer.
func FuzzForwardedFor(f *testing.F) {
	for _, s := range []string{"192.0.2.1", "192.0.2.1, 10.0.0.2", "10.0.0.1", "garbage", "192.0.2.1,,10.0.0.2", "::ffff:10.0.0.1", "fe80::1%eth0", ""} {
		f.Add(s)
	}
	proxies, err := NewProxies([]string{"10.0.0.0/8"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, header string) {
		r := httptest.NewRequest("GET", "http://x/events", nil)
		r.RemoteAddr = "10.0.0.9:5000"
		r.Header.Set("X-Forwarded-For", header)
		addr, forwarded := proxies.ClientAddr(r)
		if !forwarded {
			if addr != "10.0.0.9" {
				t.Fatalf("X-Forwarded-For %q: not forwarded, but the client is %q, not the peer", header, addr)
			}
			return
		}
		a, err := netip.ParseAddr(addr)
		if err != nil {
			t.Fatalf("X-Forwarded-For %q gave the client %q, not an address", header, addr)
		}
		if proxies.trusts(a) && !allTrusted(proxies, header) {
			t.Fatalf("X-Forwarded-For %q gave the trusted proxy %s as the client", header, a)
		}
	})
}

// allTrusted reports whether every entry of header is a trusted proxy.
func allTrusted(p *Proxies, header string) bool {
	for e := range strings.SplitSeq(header, ",") {
		a, err := netip.ParseAddr(strings.TrimSpace(e))
		if err != nil || !p.trusts(a.Unmap()) {
			return false
		}
	}
	return true
}
