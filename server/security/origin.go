package security

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// ParseOrigins reads a comma-separated list of origins, such as
// "https://app.example.com, http://localhost:3000", and returns them in the
// form browsers send in the Origin header. Each must be an exact origin:
// http or https, a host, an optional port, and nothing else; "*", "null" and
// patterns are refused.
func ParseOrigins(list string) ([]string, error) {
	var out []string
	for o := range strings.SplitSeq(list, ",") {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		n, err := NormalizeOrigin(o)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// NormalizeOrigin checks that origin is an exact origin,
// scheme://host[:port], and returns it as browsers send it: lower case,
// without the scheme's default port.
func NormalizeOrigin(origin string) (string, error) {
	if origin == "*" || origin == "null" || strings.Contains(origin, "*") {
		return "", fmt.Errorf("origin %q is not allowed: give exact origins such as https://app.example.com", origin)
	}
	u, err := url.Parse(origin)
	if err != nil {
		return "", fmt.Errorf("origin %q: %w", origin, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("origin %q: scheme is not http or https", origin)
	case u.Host == "" || u.Hostname() == "":
		return "", fmt.Errorf("origin %q has no host", origin)
	case u.User != nil:
		return "", fmt.Errorf("origin %q has a user", origin)
	case u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery || strings.HasSuffix(origin, "#"):
		return "", fmt.Errorf("origin %q has a path, query or fragment: want scheme://host[:port]", origin)
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return u.Scheme + "://" + host, nil
}

// Origins decides which browser requests from other origins may reach
// the API: those of the allowed origins. Same-origin requests and requests
// without Origin or Sec-Fetch-Site (which are not from a browser) pass.
type Origins struct {
	allowed map[string]bool
	unsafe  *http.CrossOriginProtection
}

// NewOrigins returns the policy that allows origins, each as NormalizeOrigin
// reads it.
func NewOrigins(origins []string) (*Origins, error) {
	p := &Origins{allowed: map[string]bool{}, unsafe: http.NewCrossOriginProtection()}
	for _, o := range origins {
		n, err := NormalizeOrigin(o)
		if err != nil {
			return nil, fmt.Errorf("%w", err)
		}
		p.allowed[n] = true
		if err := p.unsafe.AddTrustedOrigin(n); err != nil {
			return nil, fmt.Errorf("%w", err)
		}
	}
	return p, nil
}

// Allows reports whether origin, as a browser sends it, is one of the allowed
// origins.
func (p *Origins) Allows(origin string) bool {
	return p.allowed[strings.ToLower(origin)]
}

// ErrCrossOrigin is wrapped by the errors of Check.
var ErrCrossOrigin = errors.New("cross-origin request refused")

// Check returns why r, a browser request from another origin that is not
// allowed, is refused, or nil. Unsafe methods go through Go's
// CrossOriginProtection, trusting the allowed origins; safe ones, which it
// always lets through, get the same test here, since a stream is data to
// protect.
func (p *Origins) Check(r *http.Request) error {
	origin := r.Header.Get("Origin")
	var err error
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		err = p.checkSafe(r, origin)
	default:
		err = p.unsafe.Check(r)
	}
	if err == nil {
		return nil
	}
	if origin == "" {
		return fmt.Errorf("%w: %s %s from another site (Sec-Fetch-Site: %s) without an Origin", ErrCrossOrigin, r.Method, r.URL.Path, r.Header.Get("Sec-Fetch-Site"))
	}
	return fmt.Errorf("%w: origin %.100q is not allowed to %s %s", ErrCrossOrigin, origin, r.Method, r.URL.Path)
}

func (p *Origins) checkSafe(r *http.Request, origin string) error {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return nil
	case "":
		if origin == "" || sameHost(origin, r.Host) {
			return nil
		}
	}
	if origin != "" && p.Allows(origin) {
		return nil
	}
	return ErrCrossOrigin
}

// sameHost reports whether origin names host, the request's Host header. It
// is the test for browsers too old to send Sec-Fetch-Site.
func sameHost(origin, host string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if h, p, err := net.SplitHostPort(host); err == nil && ((u.Scheme == "http" && p == "80") || (u.Scheme == "https" && p == "443")) {
		host = h
	}
	return strings.EqualFold(u.Host, host)
}
