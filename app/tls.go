//go:build !(js && wasm)

package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/heraldhq/herald/server/tlscert"
)

// useTLS reports whether the server serves HTTPS.
func (c *securityConfig) useTLS() bool { return c.tlsCert != "" }

// scheme returns the URL scheme the server serves.
func (c *securityConfig) scheme() string {
	if c.useTLS() {
		return "https"
	}
	return "http"
}

// configureTLS loads the certificate into hs, when one is set, and has new
// handshakes serve it again from the files once they are replaced. Served
// with TLS, net/http speaks HTTP/2, so many streams share one connection and
// the browser's limit of six connections per host under HTTP/1.1 does not
// apply.
func (c *securityConfig) configureTLS(hs *http.Server, log *slog.Logger) error {
	if !c.useTLS() {
		return nil
	}
	certs, err := tlscert.NewReloader(c.tlsCert, c.tlsKey, log)
	if err != nil {
		return fmt.Errorf("invalid -tls-cert or -tls-key: %w", err)
	}
	hs.TLSConfig = certs.TLSConfig()
	return nil
}

// serveOn serves hs on ln, over TLS when a certificate is set.
func (c *securityConfig) serveOn(hs *http.Server, ln net.Listener) error {
	if c.useTLS() {
		return hs.ServeTLS(ln, "", "")
	}
	return hs.Serve(ln)
}

// withHSTS tells browsers that reach h over TLS to use HTTPS only, for
// maxAge. Hosts that are IP addresses or localhost are left out: browsers
// ignore the header for IP addresses, and on localhost it would force HTTPS
// on every other development server of the machine.
func withHSTS(h http.Handler, maxAge time.Duration) http.Handler {
	if maxAge <= 0 {
		return h
	}
	value := "max-age=" + strconv.FormatInt(int64(maxAge/time.Second), 10)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS != nil && !isLocalHost(r.Host) {
			w.Header().Set("Strict-Transport-Security", value)
		}
		h.ServeHTTP(w, r)
	})
}

// isLocalHost reports whether host, from a Host header, is an IP address,
// localhost or a name under .localhost.
func isLocalHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if _, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return true
	}
	return host == "localhost" || strings.HasSuffix(host, ".localhost")
}
