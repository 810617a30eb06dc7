package server

import (
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// handler is an API handler: it answers the request, or returns the
// refusal for guard to write, log and count.
type handler func(w http.ResponseWriter, r *http.Request) error

// unsafeReadTimeout bounds the reading of the body of a POST or DELETE, so a
// client that sends it slowly cannot hold a handler.
const unsafeReadTimeout = 30 * time.Second

// guard wraps an API handler in the checks every API request goes through,
// in order: CORS (which answers preflights), the refusal of credentials in
// the URL, and the origin check. It is the one place where refusals, there
// or from h, are answered, logged and counted.
func (s *Server) guard(h handler) http.Handler {
	checked := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.check(w, r, h); err != nil {
			s.refuse(w, r, asRefusal(err))
		}
	})
	return s.sec.cors.Handler(checked)
}

// check runs h once r passes the checks of every API request.
func (s *Server) check(w http.ResponseWriter, r *http.Request, h handler) error {
	if err := s.checkHost(r); err != nil {
		return err
	}
	if name := credentialParam(r); name != "" {
		return refuse(http.StatusBadRequest, refusedBadInput, "credentials in the URL are refused (query parameter %.40q): they leak into logs and history; send the session cookie or an Authorization header", name)
	}
	if err := s.sec.origins.Check(r); err != nil {
		return refuse(http.StatusForbidden, refusedOrigin, "%v", err)
	}
	if r.Method == http.MethodPost || r.Method == http.MethodDelete {
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(unsafeReadTimeout))
	}
	return h(w, r)
}

// checkHost refuses r when its Host is not one of the Server's names.
func (s *Server) checkHost(r *http.Request) error {
	if err := s.sec.hosts.Check(r); err != nil {
		return refuse(http.StatusMisdirectedRequest, refusedOrigin, "%v", err)
	}
	return nil
}

// CheckHost returns h behind the Host allowlist of the Config
// (AllowedHosts, Loopback): for a program's own handlers beside the API,
// such as its pages. A request for another host gets the API's JSON 421,
// logged and counted.
func (s *Server) CheckHost(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.checkHost(r); err != nil {
			s.refuse(w, r, asRefusal(err))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// refuse answers, counts and logs a refused request.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, rf *refusal) {
	writeRefusal(w, rf)
	s.counters.refused[rf.reason].Add(1)
	s.logRefusal(r, rf)
}

// logRefusal writes the one log line of a refused request, within the
// budget of Config.MaxRefusalLogs: what and why, never a token, a cookie,
// the query or the body. Behind a trusted proxy, the
// client is the one the proxy names, and the proxy is logged beside it.
func (s *Server) logRefusal(r *http.Request, rf *refusal) {
	if !s.sec.refusalLogs.allow() {
		return
	}
	client, forwarded := s.sec.proxies.ClientAddr(r)
	if !forwarded {
		client = r.RemoteAddr
	}
	attrs := []any{
		"status", rf.status,
		"method", r.Method,
		"path", truncate(r.URL.Path, 200),
		"client", client,
		"reason", truncate(rf.msg, 300),
	}
	if forwarded {
		attrs = append(attrs, "proxy", r.RemoteAddr)
	}
	if o := r.Header.Get("Origin"); o != "" {
		attrs = append(attrs, "origin", truncate(o, 200))
	}
	level := slog.LevelInfo
	if rf.status >= 500 {
		level = slog.LevelWarn
	}
	s.sec.log.Log(r.Context(), level, "request refused", attrs...)
}

// truncate returns s cut to n bytes, marked when cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// credentialWords are the parts of query parameter names that carry
// credentials, such as "token" in "bearer_token" or "accessToken". The API
// refuses a parameter whose name contains one, in any case: a URL ends up
// in server logs, proxies and browser history.
var credentialWords = []string{
	"token", "secret", "password", "passwd", "bearer", "key", "jwt",
	"credential", "session", "signature", "auth",
}

// credentialParam returns the name of the first query parameter of r that
// carries credentials, or "".
func credentialParam(r *http.Request) string {
	if r.URL.RawQuery == "" {
		return ""
	}
	for name := range r.URL.Query() {
		lower := strings.ToLower(name)
		for _, w := range credentialWords {
			if strings.Contains(lower, w) {
				return name
			}
		}
	}
	return ""
}
