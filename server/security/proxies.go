package security

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ParseTrustedProxies reads a comma-separated list of trusted proxies, such
// as "10.0.0.0/8, 192.0.2.7", each an IP address or a CIDR network, and
// returns its entries. It reports the first entry that is neither.
func ParseTrustedProxies(list string) ([]string, error) {
	var out []string
	for e := range strings.SplitSeq(list, ",") {
		if e = strings.TrimSpace(e); e == "" {
			continue
		}
		if _, err := parseProxy(e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// parseProxy returns the network of entry, an IP address (a network of one)
// or a CIDR network. IPv4 written as IPv6 ("::ffff:10.0.0.1") is taken as
// IPv4, as client addresses are.
func parseProxy(entry string) (netip.Prefix, error) {
	bad := func() (netip.Prefix, error) {
		return netip.Prefix{}, fmt.Errorf("trusted proxy %q is neither an IP address nor a CIDR network such as 10.0.0.0/8", entry)
	}
	if strings.Contains(entry, "/") {
		p, err := netip.ParsePrefix(entry)
		if err != nil {
			return bad()
		}
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(entry)
	if err != nil || a.Zone() != "" {
		return bad()
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// Proxies tells the client address of a request: the peer's, or behind
// a trusted proxy the one the proxies name in X-Forwarded-For.
type Proxies struct {
	trusted []netip.Prefix
}

// NewProxies returns the policy that trusts the proxies that entries name,
// each an IP address or a CIDR network.
func NewProxies(entries []string) (*Proxies, error) {
	p := &Proxies{}
	for _, e := range entries {
		n, err := parseProxy(strings.TrimSpace(e))
		if err != nil {
			return nil, fmt.Errorf("%w", err)
		}
		p.trusted = append(p.trusted, n)
	}
	return p, nil
}

// trusts reports whether a is in a trusted network.
func (p *Proxies) trusts(a netip.Addr) bool {
	for _, n := range p.trusted {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

// ClientAddr returns the address of the client of r, and whether it comes
// from X-Forwarded-For. That header is read only when the peer is a trusted
// proxy, and only while it is well formed; otherwise the client is the peer.
func (p *Proxies) ClientAddr(r *http.Request) (addr string, forwarded bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if len(p.trusted) == 0 {
		return host, false
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !p.trusts(peer.Unmap()) {
		return host, false
	}
	if a, ok := p.forwardedFor(r.Header.Values("X-Forwarded-For")); ok {
		return a.String(), true
	}
	return host, false
}

// forwardedFor returns the client that X-Forwarded-For names, from the lines
// of the header in order: walking from the right, where the nearest proxy
// appended, the first address that is not a trusted proxy; or, when all
// are, the farthest. Entries to its left are the client's own say and are
// not read. An entry that is not an IP address on the way makes the whole
// header untrustworthy: ok is false.
func (p *Proxies) forwardedFor(lines []string) (client netip.Addr, ok bool) {
	var farthest netip.Addr
	for i := len(lines) - 1; i >= 0; i-- {
		rest := lines[i]
		for {
			cut := strings.LastIndexByte(rest, ',')
			a, err := netip.ParseAddr(strings.TrimSpace(rest[cut+1:]))
			if err != nil || a.Zone() != "" {
				return netip.Addr{}, false
			}
			if a = a.Unmap(); !p.trusts(a) {
				return a, true
			}
			farthest = a
			if cut < 0 {
				break
			}
			rest = rest[:cut]
		}
	}
	return farthest, farthest.IsValid()
}
