package server

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/heraldhq/herald/server/engine"
	"github.com/heraldhq/herald/server/security"
)

// auditWho is how the audit log names the holder of the publish token.
const auditWho = "token"

// auditSignIn logs that u signed in with r.
func (s *Server) auditSignIn(r *http.Request, u security.User) {
	s.audit(r, "sign-in", "user", u.Name)
}

// auditSignOut logs that u ended their session with r.
func (s *Server) auditSignOut(r *http.Request, u security.User) {
	s.audit(r, "sign-out", "user", u.Name)
}

// auditPublish logs a publish that was stored: who (the user, or "token"),
// to which topics, of which types, how many events. Never their data.
func (s *Server) auditPublish(r *http.Request, u security.User, msgs []engine.Message) {
	who := u.Name
	if !u.SignedIn() {
		who = auditWho
	}
	var topics, types []string
	for _, m := range msgs {
		topics, types = appendNew(topics, m.Topic), appendNew(types, m.Type)
	}
	s.audit(r, "publish", "user", who,
		"topics", truncate(strings.Join(topics, ","), 300),
		"types", truncate(strings.Join(types, ","), 200),
		"count", len(msgs))
}

// audit writes one audit log line: what happened, from which client, with
// attrs.
func (s *Server) audit(r *http.Request, what string, attrs ...any) {
	client, forwarded := s.sec.proxies.ClientAddr(r)
	if !forwarded {
		client = r.RemoteAddr
	}
	attrs = append([]any{"event", what, "client", client}, attrs...)
	s.sec.log.Log(r.Context(), slog.LevelInfo, "audit", attrs...)
}

// appendNew appends v to list unless it is there already.
func appendNew(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}
