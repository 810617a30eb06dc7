package security

import (
	"fmt"
	"net"
	"net/http"
	"strings"
)

// LoopbackHosts are the hosts a server listening on loopback accepts when
// none are configured: with any port.
var LoopbackHosts = []string{"localhost", "127.0.0.1", "[::1]"}

// Hosts is the allowlist of the Host header, the defence against DNS
// rebinding: a page on evil.example whose name is made to point at
// 127.0.0.1 sends Host: evil.example, which a server that knows its own
// names refuses. Make it with NewHosts.
type Hosts struct {
	// names are the hosts allowed with any port; pairs the host:port pairs
	// allowed. Both are lower case. With neither, every host is allowed.
	names map[string]bool
	pairs map[string]bool
}

// ParseHosts reads a comma-separated list of hosts, such as
// "example.com, app.example.com:8443, [::1]", and checks each.
func ParseHosts(list string) ([]string, error) {
	var out []string
	for h := range strings.SplitSeq(list, ",") {
		if h = strings.TrimSpace(h); h == "" {
			continue
		}
		if _, _, err := splitHost(h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// NewHosts returns the allowlist of allowed, each a host ("example.com",
// "[::1]"), allowed with any port, or a host:port, allowed with that port
// only. With none allowed and loopback true (the server listens on loopback
// only), the allowlist is LoopbackHosts; with none allowed and loopback
// false, every Host is allowed.
func NewHosts(allowed []string, loopback bool) (*Hosts, error) {
	if len(allowed) == 0 && loopback {
		allowed = LoopbackHosts
	}
	h := &Hosts{names: map[string]bool{}, pairs: map[string]bool{}}
	for _, a := range allowed {
		host, port, err := splitHost(a)
		if err != nil {
			return nil, err
		}
		if port == "" {
			h.names[host] = true
		} else {
			h.pairs[net.JoinHostPort(host, port)] = true
		}
	}
	return h, nil
}

// Check reports whether r's Host is allowed.
func (h *Hosts) Check(r *http.Request) error {
	if len(h.names) == 0 && len(h.pairs) == 0 {
		return nil
	}
	host, port, err := splitHost(r.Host)
	if err == nil && (h.names[host] || port != "" && h.pairs[net.JoinHostPort(host, port)]) {
		return nil
	}
	return fmt.Errorf("host %.60q is not one of this server's names: a page reaching it under another name is refused", r.Host)
}

// splitHost returns the host, lower case and without brackets, and the
// port, "" when none, of host or host:port.
func splitHost(hostport string) (host, port string, err error) {
	s := strings.ToLower(hostport)
	switch {
	case s == "":
		return "", "", fmt.Errorf("host is empty")
	case strings.ContainsAny(s, "/@?#* \t"):
		return "", "", fmt.Errorf("host %.60q is not a host or host:port", hostport)
	}
	if h, p, err := net.SplitHostPort(s); err == nil {
		host, port = h, p
	} else if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		host = s[1 : len(s)-1]
	} else if strings.Count(s, ":") == 0 {
		host = s
	} else {
		return "", "", fmt.Errorf("host %.60q is not a host or host:port (write IPv6 addresses in brackets)", hostport)
	}
	if host == "" {
		return "", "", fmt.Errorf("host %.60q has no name", hostport)
	}
	return host, port, nil
}
