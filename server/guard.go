package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/rs/cors"
)

// security is a Server's protection: sessions, the per-topic policy, the
// origin check and CORS, the connection limits and the log of refusals.
type security struct {
	sessions   *sessions
	authorizer Authorizer
	origins    *originPolicy
	cors       *cors.Cors
	limits     *limiter
	proxies    *proxyPolicy
	log        *slog.Logger
}

// newSecurity returns the protection that c configures, with its defaults.
func newSecurity(c Config) (security, error) {
	sessions, err := newSessions(c.Session)
	if err != nil {
		return security{}, err
	}
	origins, err := newOriginPolicy(c.AllowedOrigins)
	if err != nil {
		return security{}, err
	}
	proxies, err := newProxyPolicy(c.TrustedProxies)
	if err != nil {
		return security{}, err
	}
	sec := security{
		sessions:   sessions,
		authorizer: c.Authorizer,
		origins:    origins,
		cors:       newCORS(origins),
		limits:     newLimiter(c.MaxConns, c.MaxConnsPerClient, c.MaxConnsPerUser),
		proxies:    proxies,
		log:        c.Logger,
	}
	if sec.authorizer == nil {
		sec.authorizer = UserTopics{}
	}
	if sec.log == nil {
		sec.log = slog.New(slog.DiscardHandler)
	}
	return sec, nil
}

// securityDefaults fills in the zero connection limits of c, or reports the
// first that is negative.
func (c *Config) securityDefaults() error {
	limits := []struct {
		name string
		v    *int
		def  int
	}{
		{"MaxConns", &c.MaxConns, DefaultMaxConns},
		{"MaxConnsPerClient", &c.MaxConnsPerClient, DefaultMaxConnsPerClient},
		{"MaxConnsPerUser", &c.MaxConnsPerUser, DefaultMaxConnsPerUser},
	}
	for _, l := range limits {
		if *l.v < 0 {
			return fmt.Errorf("server config: %s is negative: %d", l.name, *l.v)
		}
		if *l.v == 0 {
			*l.v = l.def
		}
	}
	return nil
}

// mountSession registers /session and the CORS preflights of the API on mux.
func (s *Server) mountSession(mux *http.ServeMux) {
	mux.Handle("GET /session", s.guard(s.serveSession))
	mux.Handle("POST /session", s.guard(s.serveSignIn))
	mux.Handle("DELETE /session", s.guard(s.serveSignOut))
	mux.Handle("OPTIONS /session", s.guard(servePreflight("GET, POST, DELETE, OPTIONS")))
	mux.Handle("OPTIONS /events", s.guard(servePreflight("GET, OPTIONS")))
	mux.Handle("OPTIONS /publish", s.guard(servePreflight("POST, OPTIONS")))
}

// unsafeReadTimeout bounds the reading of the body of a POST or DELETE, so a
// client that sends it slowly cannot hold a handler.
const unsafeReadTimeout = 30 * time.Second

// guard wraps an API handler in the checks every API request goes through,
// in order: CORS (which answers preflights), the refusal of credentials in
// the URL, and the origin check. Every refused request, there or in h, is
// logged once.
func (s *Server) guard(h http.HandlerFunc) http.Handler {
	checked := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if name := credentialParam(r); name != "" {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("credentials in the URL are refused (query parameter %q): they leak into logs and history; send the session cookie or an Authorization header", name))
			return
		}
		if err := s.sec.origins.check(r); err != nil {
			noteOriginRefusal(w)
			writeError(w, http.StatusForbidden, err.Error())
			return
		}
		if r.Method == http.MethodPost || r.Method == http.MethodDelete {
			_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(unsafeReadTimeout))
		}
		h(w, r)
	})
	withCORS := s.sec.cors.Handler(checked)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w}
		withCORS.ServeHTTP(rec, r)
		if rec.status >= 400 && !rec.quiet {
			s.logRefusal(r, rec)
			s.counters.refusal(rec)
		}
	})
}

// logRefusal writes the one log line of a refused request: what and why,
// never a token, a cookie, the query or the body. Behind a trusted proxy, the
// client is the one the proxy names, and the proxy is logged beside it.
func (s *Server) logRefusal(r *http.Request, rec *recorder) {
	client, forwarded := s.sec.proxies.clientAddr(r)
	if !forwarded {
		client = r.RemoteAddr
	}
	attrs := []any{
		"status", rec.status,
		"method", r.Method,
		"path", truncate(r.URL.Path, 200),
		"client", client,
		"reason", truncate(rec.reason, 300),
	}
	if forwarded {
		attrs = append(attrs, "proxy", r.RemoteAddr)
	}
	if o := r.Header.Get("Origin"); o != "" {
		attrs = append(attrs, "origin", truncate(o, 200))
	}
	s.sec.log.Info("request refused", attrs...)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// credentialNames are query parameters that carry credentials. The API
// refuses them: a URL ends up in server logs, proxies and browser history.
var credentialNames = map[string]bool{
	"token": true, "access_token": true, "accesstoken": true, "id_token": true,
	"auth": true, "authorization": true, "bearer": true, "jwt": true,
	"api_key": true, "apikey": true, "key": true, "secret": true, "password": true,
	"session": true, "publish_token": true, SessionCookie: true,
}

// credentialParam returns the name of the first query parameter of r that
// carries credentials, or "".
func credentialParam(r *http.Request) string {
	if r.URL.RawQuery == "" {
		return ""
	}
	for name := range r.URL.Query() {
		if credentialNames[strings.ToLower(name)] {
			return name
		}
	}
	return ""
}

// recorder remembers the status of an answer and the reason writeError gave,
// for the log line of a refusal. http.ResponseController reaches the
// connection underneath through Unwrap.
type recorder struct {
	http.ResponseWriter
	status int
	reason string
	origin bool // refused by the origin check
	quiet  bool // an answer, not a refusal: neither logged nor counted
}

func (rec *recorder) WriteHeader(status int) {
	if rec.status == 0 {
		rec.status = status
	}
	rec.ResponseWriter.WriteHeader(status)
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec.ResponseWriter.Write(b)
}

// Unwrap returns the ResponseWriter underneath.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// noteOriginRefusal records that the origin check refused the request, when
// w is a recorder.
func noteOriginRefusal(w http.ResponseWriter) {
	if rec, ok := w.(*recorder); ok {
		rec.origin = true
	}
}

// markQuiet tells the guard that the error answer about to be written on w
// is an ordinary answer, such as "signed out" to GET /session, and not a
// refusal.
func markQuiet(w http.ResponseWriter) {
	if rec, ok := w.(*recorder); ok {
		rec.quiet = true
	}
}

// noteRefusal records msg as the reason of a refusal when w is a recorder.
func noteRefusal(w http.ResponseWriter, msg string) {
	if rec, ok := w.(*recorder); ok && rec.reason == "" {
		rec.reason = msg
	}
}
