package security

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/heraldhq/herald/server/engine"
	"github.com/heraldhq/herald/shared"
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

// Expired reports whether u's session has ended.
func (u User) Expired() bool { return !u.Expires.IsZero() && !time.Now().Before(u.Expires) }

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
		if c := name[i : i+1]; c == "/" || engine.ValidateTopic(c) != nil {
			return fmt.Errorf("user name %q has %q, not a letter, digit or one of -_.~", name, name[i])
		}
	}
	return nil
}

// topicOwner returns the user a topic belongs to: the second segment of
// "user/<name>" and of its subtopics "user/<name>/…". private is false for
// every other topic. The topic "user" alone is private to nobody.
func topicOwner(topic string) (owner string, private bool) {
	prefix := shared.UserTopic("")
	if topic+"/" == prefix {
		return "", true
	}
	rest, ok := strings.CutPrefix(topic, prefix)
	if !ok {
		return "", false
	}
	owner, _, _ = strings.Cut(rest, "/")
	return owner, true
}

// OwnsTopic reports whether topic is u's own user topic or one of its
// subtopics.
func OwnsTopic(u User, topic string) bool {
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
	return OwnsTopic(u, topic)
}

// CanPublish reports whether topic is u's own user topic.
func (UserTopics) CanPublish(u User, topic, _ string) bool { return OwnsTopic(u, topic) }
