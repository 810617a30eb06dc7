package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// User is who a request comes from. The zero User is signed out.
type User struct {
	// Name identifies the user. It is a valid topic segment (see
	// ValidateUserName), so the user's own topic is "user/<name>".
	Name string `json:"name"`
	// Expires is when the user's session ends; zero when it does not. The
	// streams that read topics a signed-out user may not read end then, and
	// a request from a user past it is signed out. The session cookie sets
	// it to the cookie's expiry; an Authenticator may set it to the expiry
	// of its own credential, such as a token's.
	Expires time.Time `json:"expires,omitzero"`
}

// SignedIn reports whether u is a signed-in user.
func (u User) SignedIn() bool { return u.Name != "" }

// expired reports whether u's session has ended.
func (u User) expired() bool { return !u.Expires.IsZero() && !time.Now().Before(u.Expires) }

// MaxUserNameLen is the longest user name accepted.
const MaxUserNameLen = 64

// ValidateUserName reports whether name can name a user: 1 to MaxUserNameLen
// ASCII letters, digits and "-_.~", so that "user/<name>" is a valid topic of
// one more segment.
func ValidateUserName(name string) error {
	if name == "" {
		return fmt.Errorf("user name is empty")
	}
	if len(name) > MaxUserNameLen {
		return fmt.Errorf("user name %.20q… is longer than %d bytes", name, MaxUserNameLen)
	}
	for i := 0; i < len(name); i++ {
		if !isTopicByte(name[i]) {
			return fmt.Errorf("user name %q has %q, not a letter, digit or one of -_.~", name, name[i])
		}
	}
	return nil
}

// UserTopic returns the private topic of the user named name: "user/<name>".
func UserTopic(name string) string { return "user/" + name }

// topicOwner returns the user a topic belongs to: the second segment of
// "user/<name>" and of its subtopics "user/<name>/…". private is false for
// every other topic. The topic "user" alone is private to nobody.
func topicOwner(topic string) (owner string, private bool) {
	rest, ok := strings.CutPrefix(topic, "user")
	if !ok || (rest != "" && rest[0] != '/') {
		return "", false
	}
	rest = strings.TrimPrefix(rest, "/")
	owner, _, _ = strings.Cut(rest, "/")
	return owner, true
}

// ownsTopic reports whether topic is u's own user topic or one of its
// subtopics.
func ownsTopic(u User, topic string) bool {
	owner, private := topicOwner(topic)
	return private && u.SignedIn() && owner == u.Name
}

// An Authenticator tells who a request comes from: the hook for an identity
// provider, such as a header set by an authenticating proxy or a token
// checked against an OpenID provider. The server asks it when a request has
// no valid session cookie.
type Authenticator interface {
	// Authenticate returns the request's user, or false when it cannot
	// tell. The user's name must pass ValidateUserName, or the request is
	// taken as signed out.
	Authenticate(r *http.Request) (User, bool)
}

// AuthenticatorFunc adapts a function to an Authenticator.
type AuthenticatorFunc func(r *http.Request) (User, bool)

// Authenticate returns f(r).
func (f AuthenticatorFunc) Authenticate(r *http.Request) (User, bool) { return f(r) }

// An Authorizer decides who may read and who may publish each topic. The
// holder of the publish token may publish anywhere without asking it. A
// refusal answers 401 to a signed-out user and 403 to a signed-in one.
type Authorizer interface {
	// CanRead reports whether u may subscribe to topic. u is the zero User
	// when the request is signed out.
	CanRead(u User, topic string) bool
	// CanPublish reports whether u may publish an event of type eventType to
	// topic.
	CanPublish(u User, topic, eventType string) bool
}

// UserTopics is the default Authorizer: every topic may be read by anyone
// except "user/<name>" and its subtopics, which only the signed-in user
// <name> may read; a signed-in user may publish to their own user topics
// only.
type UserTopics struct{}

// CanRead reports whether topic is not a user topic, or is u's own.
func (UserTopics) CanRead(u User, topic string) bool {
	if _, private := topicOwner(topic); !private {
		return true
	}
	return ownsTopic(u, topic)
}

// CanPublish reports whether topic is u's own user topic.
func (UserTopics) CanPublish(u User, topic, _ string) bool { return ownsTopic(u, topic) }

// authenticate returns the request's user: from the session cookie, or else
// from the configured Authenticator. It is the zero User when neither knows.
func (s *Server) authenticate(r *http.Request) User {
	u, _ := s.identify(r)
	return u
}

// identify returns the request's user, as authenticate does, and the id of
// the cookie's session it comes from: "" for a user from the Authenticator.
// A user whose Expires has passed is signed out.
func (s *Server) identify(r *http.Request) (u User, session string) {
	if u, session, ok := s.sec.sessions.user(r); ok {
		return u, session
	}
	if a := s.cfg.Authenticator; a != nil {
		if u, ok := a.Authenticate(r); ok && ValidateUserName(u.Name) == nil && !u.expired() {
			return u, ""
		}
	}
	return User{}, ""
}

// refuseTopic answers the refusal of topic to u: 401 when signed out, 403
// when signed in.
func refuseTopic(w http.ResponseWriter, u User, verb, topic string) {
	if !u.SignedIn() {
		writeError(w, http.StatusUnauthorized, fmt.Sprintf("sign in to %s topic %q", verb, topic))
		return
	}
	writeError(w, http.StatusForbidden, fmt.Sprintf("user %q may not %s topic %q", u.Name, verb, topic))
}

// publisher tells who publishes r: the holder of the publish token (service
// is true) or a user. Without either it answers 401 or 403 itself, before
// the body is read, and returns false.
func (s *Server) publisher(w http.ResponseWriter, r *http.Request) (u User, service, ok bool) {
	if auth := r.Header.Get("Authorization"); auth != "" {
		if status, msg := s.checkToken(auth); status != 0 {
			writeError(w, status, msg)
			return User{}, false, false
		}
		return User{}, true, true
	}
	u = s.authenticate(r)
	if !u.SignedIn() {
		writeError(w, http.StatusUnauthorized, "sign in, or send Authorization: Bearer <publish token>")
		return User{}, false, false
	}
	return u, false, true
}

// checkToken checks an Authorization header against the publish token and
// returns the status and message of the refusal, or 0.
func (s *Server) checkToken(auth string) (int, string) {
	if s.cfg.PublishToken == "" {
		return http.StatusForbidden, "publishing with a token is disabled: no publish token is configured"
	}
	token, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok {
		return http.StatusUnauthorized, "Authorization is not Bearer <publish token>"
	}
	if !tokenEqual(token, s.cfg.PublishToken) {
		return http.StatusUnauthorized, "wrong publish token"
	}
	return 0, ""
}

// mayPublish checks every message against the Authorizer for u, and answers
// the first refusal itself.
func (s *Server) mayPublish(w http.ResponseWriter, u User, msgs []Message) bool {
	for _, m := range msgs {
		if !s.sec.authorizer.CanPublish(u, m.Topic, m.Type) {
			refuseTopic(w, u, "publish "+m.Type+" events to", m.Topic)
			return false
		}
	}
	return true
}

// tokenEqual compares a token with the configured one in constant time,
// whatever their lengths.
func tokenEqual(got, want string) bool {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}
