//go:build !(js && wasm)

package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
)

// securityConfig is the security settings of the server binary.
type securityConfig struct {
	allowedOrigins    string
	allowedHosts      string
	cookieHashKey     string
	cookieBlockKey    string
	cookieKeyFile     string
	cookieSameSite    string
	cookieSecure      bool
	sessionMaxAge     time.Duration
	nameSignIn        bool
	maxConns          int
	maxConnsPerClient int
	maxConnsPerUser   int
	trustedProxies    string
	maxRefusalLogs    int
	tlsCert           string
	tlsKey            string
	hstsMaxAge        time.Duration
}

// defaultHSTSMaxAge is how long browsers are told to use HTTPS only.
const defaultHSTSMaxAge = 365 * 24 * time.Hour

// addSecurityFlags adds the security settings to fs, bound to c.
func addSecurityFlags(fs *flag.FlagSet, c *securityConfig) {
	fs.StringVar(&c.allowedOrigins, "allowed-origins", "", "comma-separated exact origins (https://app.example.com) of other sites whose pages may use the API with credentials")
	fs.StringVar(&c.allowedHosts, "allowed-hosts", "", "comma-separated names of this server, host or host:port, that the Host header must be; empty: localhost, 127.0.0.1 and [::1] when -addr is on loopback, else any")
	fs.StringVar(&c.cookieHashKey, "cookie-hash-key", "", "key that signs the session cookie: 32 or 64 bytes, hex or base64; prefer the environment variable")
	fs.StringVar(&c.cookieBlockKey, "cookie-block-key", "", "key that encrypts the session cookie: 16, 24 or 32 bytes, hex or base64; prefer the environment variable")
	fs.StringVar(&c.cookieKeyFile, "cookie-key-file", filepath.Join(".herald", "cookie-keys"), "file of generated session keys, used when -cookie-hash-key and -cookie-block-key are not set")
	fs.StringVar(&c.cookieSameSite, "cookie-same-site", "lax", "SameSite mode of the session cookie: lax or strict")
	fs.BoolVar(&c.cookieSecure, "cookie-secure", false, "mark the session cookie Secure even over plain HTTP, behind a proxy that terminates TLS (it always is over TLS)")
	fs.DurationVar(&c.sessionMaxAge, "session-max-age", security.DefaultSessionMaxAge, "how long a session lasts")
	fs.BoolVar(&c.nameSignIn, "name-sign-in", false, "let POST /session sign in with a bare name and no password: for demos only")
	fs.IntVar(&c.maxConns, "max-conns", server.DefaultMaxConns, "most event streams open at once; over it: 503")
	fs.IntVar(&c.maxConnsPerClient, "max-conns-per-client", server.DefaultMaxConnsPerClient, "most event streams open at once from one client address; over it: 429")
	fs.IntVar(&c.maxConnsPerUser, "max-conns-per-user", server.DefaultMaxConnsPerUser, "most event streams open at once for one signed-in user; over it: 429")
	fs.StringVar(&c.trustedProxies, "trusted-proxies", "", "comma-separated IP addresses and CIDR networks of reverse proxies whose X-Forwarded-For names the client; empty trusts none")
	fs.IntVar(&c.maxRefusalLogs, "max-refusal-logs", server.DefaultMaxRefusalLogs, "most log lines of refused requests per second; the others are summed up in one line a second")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "certificate file (PEM) to serve HTTPS and HTTP/2; needs -tls-key")
	fs.StringVar(&c.tlsKey, "tls-key", "", "private key file (PEM) of -tls-cert")
	fs.DurationVar(&c.hstsMaxAge, "hsts-max-age", defaultHSTSMaxAge, "max-age of the Strict-Transport-Security header sent over HTTPS; 0 sends none")
}

// check reports the first security setting that is out of range.
func (c *securityConfig) check() error {
	if _, err := security.ParseOrigins(c.allowedOrigins); err != nil {
		return fmt.Errorf("invalid -allowed-origins: %w", err)
	}
	if _, err := security.ParseHosts(c.allowedHosts); err != nil {
		return fmt.Errorf("invalid -allowed-hosts: %w", err)
	}
	if _, err := c.sameSite(); err != nil {
		return err
	}
	if _, err := security.ParseTrustedProxies(c.trustedProxies); err != nil {
		return fmt.Errorf("invalid -trusted-proxies: %w", err)
	}
	if (c.cookieHashKey == "") != (c.cookieBlockKey == "") {
		return fmt.Errorf("set -cookie-hash-key and -cookie-block-key together, or neither to use -cookie-key-file")
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return fmt.Errorf("set -tls-cert and -tls-key together")
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"session-max-age", c.sessionMaxAge}, {"hsts-max-age", c.hstsMaxAge}} {
		if d.v < 0 {
			return fmt.Errorf("invalid -%s %v: negative", d.name, d.v)
		}
	}
	for _, n := range []struct {
		name string
		v    int
	}{{"max-conns", c.maxConns}, {"max-conns-per-client", c.maxConnsPerClient}, {"max-conns-per-user", c.maxConnsPerUser}, {"max-refusal-logs", c.maxRefusalLogs}} {
		if n.v < 1 {
			return fmt.Errorf("invalid -%s %d: want at least 1", n.name, n.v)
		}
	}
	return nil
}

// sameSite returns the SameSite mode of -cookie-same-site.
func (c *securityConfig) sameSite() (http.SameSite, error) {
	switch strings.ToLower(c.cookieSameSite) {
	case "lax":
		return http.SameSiteLaxMode, nil
	case "strict":
		return http.SameSiteStrictMode, nil
	}
	return 0, fmt.Errorf("invalid -cookie-same-site %q: want lax or strict", c.cookieSameSite)
}

// apply sets the security settings of sc: sessions and their keys, the
// demo's topic policy, the allowed hosts and origins, the connection limits and the
// trusted proxies, and the logger of refusals.
func (c *config) applySecurity(sc *server.Config, log *slog.Logger) error {
	keys, err := c.sessionKeys(log)
	if err != nil {
		return err
	}
	origins, err := security.ParseOrigins(c.allowedOrigins)
	if err != nil {
		return fmt.Errorf("invalid -allowed-origins: %w", err)
	}
	sameSite, err := c.sameSite()
	if err != nil {
		return err
	}
	proxies, err := security.ParseTrustedProxies(c.trustedProxies)
	if err != nil {
		return fmt.Errorf("invalid -trusted-proxies: %w", err)
	}
	sc.Session = security.SessionConfig{
		HashKey:    keys.HashKey,
		BlockKey:   keys.BlockKey,
		MaxAge:     c.sessionMaxAge,
		SameSite:   sameSite,
		Secure:     c.cookieSecure,
		NameSignIn: c.nameSignIn,
	}
	sc.Authorizer = demoPolicy{}
	sc.Stamper = security.StampFunc(stampAuthor)
	sc.MaxRefusalLogs = c.maxRefusalLogs
	sc.AllowedOrigins = origins
	if sc.AllowedHosts, err = security.ParseHosts(c.allowedHosts); err != nil {
		return fmt.Errorf("invalid -allowed-hosts: %w", err)
	}
	sc.Loopback = onLoopback(c.addr)
	sc.MaxConns = c.maxConns
	sc.MaxConnsPerClient = c.maxConnsPerClient
	sc.MaxConnsPerUser = c.maxConnsPerUser
	sc.TrustedProxies = proxies
	sc.Logger = log
	if len(origins) > 0 {
		log.Info("cross-origin pages allowed", "origins", strings.Join(origins, ","))
	}
	if len(proxies) > 0 {
		log.Info("client addresses taken from X-Forwarded-For behind trusted proxies", "proxies", strings.Join(proxies, ","))
	}
	if c.nameSignIn {
		log.Warn("sign-in by bare name is on: anyone can sign in as anyone (-name-sign-in)")
	}
	return nil
}

// onLoopback reports whether addr, the -addr to listen on, is on a loopback
// address only: localhost or a loopback IP. An empty host listens on every
// interface.
func onLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
