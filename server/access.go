package server

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/heraldhq/herald/server/engine"
	"github.com/heraldhq/herald/server/security"
)

// busyRetry is the Retry-After of an answer over a connection limit.
const busyRetry = 5 * time.Second

// authenticate returns the request's user: from the session cookie, or else
// from the configured Authenticator. It is the zero User when neither knows.
func (s *Server) authenticate(r *http.Request) security.User {
	u, _ := s.identify(r)
	return u
}

// identify returns the request's user, as authenticate does, and the id of
// the cookie's session it comes from: "" for a user from the Authenticator.
// A user whose Expires has passed is signed out.
func (s *Server) identify(r *http.Request) (u security.User, session string) {
	if u, session, ok := s.sec.sessions.User(r); ok {
		if s.revoked(r, u, session) {
			return security.User{}, ""
		}
		return u, session
	}
	if a := s.cfg.Authenticator; a != nil {
		if u, ok := a.Authenticate(r); ok && security.ValidateUserName(u.Name) == nil && !u.Expired() {
			return u, ""
		}
	}
	return security.User{}, ""
}

// revoked reports whether the session of u, id, was signed out. When the
// Revocations cannot tell, it logs why and takes the session as revoked:
// an outage must not let a signed-out cookie back in.
func (s *Server) revoked(r *http.Request, u security.User, id string) bool {
	revoked, err := s.sec.revocations.Revoked(r.Context(), id)
	if err != nil {
		s.sec.log.Warn("session taken as signed out: revocations unavailable", "user", u.Name, "err", err)
		return true
	}
	return revoked
}

// refuseTopic returns the refusal of topic to u: 401 when signed out, 403
// when signed in.
func refuseTopic(u security.User, verb, topic string) *refusal {
	if !u.SignedIn() {
		return refuse(http.StatusUnauthorized, refusedAuth, "sign in to %s topic %.80q", verb, topic)
	}
	return refuse(http.StatusForbidden, refusedAuth, "user %q may not %s topic %.80q", u.Name, verb, topic)
}

// admission is a stream let in by admitStream.
type admission struct {
	// release frees the stream's place under the connection limits.
	release func()
	// session is the id of the session whose sign-out ends the stream, and
	// expires when the stream ends with that session: "" and zero when the
	// stream does not depend on a session (see sessionBound).
	session string
	expires time.Time
}

// admitStream checks that the request's user may read every topic and that
// a stream is free under the connection limits. The caller calls the
// admission's release when the stream ends.
func (s *Server) admitStream(r *http.Request, topics []string) (admission, error) {
	u, session := s.identify(r)
	for _, t := range topics {
		if !s.sec.authorizer.CanRead(u, t) {
			return admission{}, refuseTopic(u, "read", t)
		}
	}
	client, _ := s.sec.proxies.ClientAddr(r)
	release, err := s.sec.limits.Acquire(security.ClientKey(client), u.Name)
	if err != nil {
		return admission{}, refuse(err.Status, refusedLimit, "%v", err).later(busyRetry)
	}
	a := admission{release: release}
	if s.sessionBound(topics) {
		a.session, a.expires = session, u.Expires
	}
	return a, nil
}

// sessionBound reports whether a stream of topics depends on its user's
// session: whether a signed-out user may not read one of them. Such a stream
// ends when the session does; any other carries nothing private and stays.
func (s *Server) sessionBound(topics []string) bool {
	for _, t := range topics {
		if !s.sec.authorizer.CanRead(security.User{}, t) {
			return true
		}
	}
	return false
}

// bindSession makes the stream of sub, admitted as a, one that the sign-out
// of its session ends, if it depends on one.
func (s *Server) bindSession(a *admission, sub *engine.Subscriber) {
	if a.session != "" {
		a.release = s.bySession.add(a.session, sub, a.release)
	}
}

// publisher tells who publishes r: the holder of the publish token (service
// is true) or a signed-in user. Without either it refuses, before the body
// is read.
func (s *Server) publisher(r *http.Request) (u security.User, service bool, err error) {
	if auth := r.Header.Get("Authorization"); auth != "" {
		return security.User{}, true, s.checkToken(auth)
	}
	u = s.authenticate(r)
	if !u.SignedIn() {
		return u, false, refuse(http.StatusUnauthorized, refusedAuth, "sign in, or send Authorization: Bearer <publish token>")
	}
	return u, false, nil
}

// checkToken checks an Authorization header against the publish token.
func (s *Server) checkToken(auth string) error {
	if s.cfg.PublishToken == "" {
		return refuse(http.StatusForbidden, refusedAuth, "publishing with a token is disabled: no publish token is configured")
	}
	token, ok := bearerToken(auth)
	if !ok {
		return refuse(http.StatusUnauthorized, refusedAuth, "Authorization is not Bearer <publish token>")
	}
	if !security.TokenEqual(token, s.cfg.PublishToken) {
		return refuse(http.StatusUnauthorized, refusedAuth, "wrong publish token")
	}
	return nil
}

// bearerToken returns the token of an Authorization header of the Bearer
// scheme, whose name is case-insensitive (RFC 9110, section 11.1).
func bearerToken(auth string) (string, bool) {
	scheme, token, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimLeft(token, " ")
	return token, token != ""
}

// mayPublish checks every message against the Authorizer for u, and returns
// the first refusal.
func (s *Server) mayPublish(u security.User, msgs []engine.Message) error {
	for _, m := range msgs {
		if !s.sec.authorizer.CanPublish(u, m.Topic, m.Type) {
			return refuseTopic(u, "publish "+m.Type+" events to", m.Topic)
		}
	}
	return nil
}

// admitPublish checks the messages u publishes against the Authorizer, then
// has the Config's Stamper, if any, rewrite them, and checks the rewritten
// ones against the schema. It returns the messages to publish, or the
// refusal.
func (s *Server) admitPublish(u security.User, msgs []engine.Message) ([]engine.Message, error) {
	if err := s.mayPublish(u, msgs); err != nil {
		return nil, err
	}
	if s.cfg.Stamper == nil {
		return msgs, nil
	}
	stamped := make([]engine.Message, len(msgs))
	for i, m := range msgs {
		data, err := s.cfg.Stamper.Stamp(u, m.Topic, m.Type, m.Data)
		if err != nil {
			return nil, badInput(fmt.Errorf("publish %s to %.80q: %w", m.Type, m.Topic, err))
		}
		m.Data = data
		stamped[i] = m
	}
	valid, err := s.validate(stamped)
	if err != nil {
		return nil, badInput(fmt.Errorf("publish: the stamped events: %w", err))
	}
	return valid, nil
}
