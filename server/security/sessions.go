package security

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/securecookie"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "herald_session"

// DefaultSessionMaxAge is how long a session lasts when SessionConfig.MaxAge
// is zero.
const DefaultSessionMaxAge = 24 * time.Hour

// SessionConfig configures the session cookie, which is signed and encrypted
// with gorilla/securecookie. A cookie that is tampered with, expired or made
// with other keys is taken as signed out.
type SessionConfig struct {
	// HashKey signs the cookie (HMAC-SHA256): 32 or 64 bytes. BlockKey
	// encrypts it (AES): 16, 24 or 32 bytes. Set both or neither: with
	// neither, New makes random keys, and sessions last no longer than the
	// process.
	HashKey  []byte
	BlockKey []byte
	// MaxAge bounds the life of a session. Zero is DefaultSessionMaxAge.
	MaxAge time.Duration
	// SameSite is the cookie's SameSite mode: http.SameSiteLaxMode (the
	// default when zero) or http.SameSiteStrictMode.
	SameSite http.SameSite
	// Secure marks the cookie Secure on every response, for a server behind
	// a proxy that terminates TLS. A request that comes over TLS always gets
	// a Secure cookie.
	Secure bool
	// NameSignIn lets POST /session sign in with a bare name and no
	// password. Anyone can then claim any name: it is for demos and
	// development. Without it POST /session answers 403, and a program signs
	// users in with Server.SignIn once its identity provider vouches for
	// them.
	NameSignIn bool
}

// Sessions issues and reads the session cookie.
type Sessions struct {
	codec  *securecookie.SecureCookie
	maxAge time.Duration
	cfg    SessionConfig
}

// sessionValue is what the cookie carries, signed and encrypted.
type sessionValue struct {
	Name    string `json:"n"`
	Expires int64  `json:"e"` // Unix seconds
	// ID is random, made at sign-in: it tells this session from the same
	// user's others, so that signing out ends this one's streams only.
	ID string `json:"i"`
}

// NewSessions returns the Sessions that c configures: it checks c's keys,
// or makes random ones when it has none.
func NewSessions(c SessionConfig) (*Sessions, error) {
	switch {
	case c.HashKey == nil && c.BlockKey == nil:
		c.HashKey = securecookie.GenerateRandomKey(64)
		c.BlockKey = securecookie.GenerateRandomKey(32)
		if c.HashKey == nil || c.BlockKey == nil {
			return nil, errors.New("cannot make random session keys")
		}
	case c.HashKey == nil || c.BlockKey == nil:
		return nil, errors.New("HashKey and BlockKey must be set together")
	}
	if err := CheckSessionKeys(c.HashKey, c.BlockKey); err != nil {
		return nil, err
	}
	switch c.SameSite {
	case 0, http.SameSiteDefaultMode:
		c.SameSite = http.SameSiteLaxMode
	case http.SameSiteLaxMode, http.SameSiteStrictMode:
	default:
		return nil, fmt.Errorf("SameSite %d is not Lax or Strict", c.SameSite)
	}
	if c.MaxAge < 0 {
		return nil, fmt.Errorf("MaxAge is negative: %v", c.MaxAge)
	}
	maxAge := c.MaxAge
	if maxAge == 0 {
		maxAge = DefaultSessionMaxAge
	}
	if maxAge < time.Second {
		return nil, fmt.Errorf("MaxAge %v is under a second", maxAge)
	}
	codec := securecookie.New(c.HashKey, c.BlockKey).
		SetSerializer(securecookie.JSONEncoder{}).
		MaxAge(int(maxAge / time.Second))
	return &Sessions{codec: codec, maxAge: maxAge, cfg: c}, nil
}

// CheckSessionKeys reports whether hashKey (32 or 64 bytes) and blockKey (16,
// 24 or 32 bytes) can sign and encrypt the session cookie.
func CheckSessionKeys(hashKey, blockKey []byte) error {
	if n := len(hashKey); n != 32 && n != 64 {
		return fmt.Errorf("session hash key is %d bytes, want 32 or 64", n)
	}
	if n := len(blockKey); n != 16 && n != 24 && n != 32 {
		return fmt.Errorf("session block key is %d bytes, want 16, 24 or 32", n)
	}
	return nil
}

// User returns the user of r's session cookie and the session's id, if r
// has a valid cookie. A cookie without an id, made before sessions had one,
// is not valid.
func (ss *Sessions) User(r *http.Request) (u User, id string, ok bool) {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return User{}, "", false
	}
	var v sessionValue
	if err := ss.codec.Decode(SessionCookie, c.Value, &v); err != nil {
		return User{}, "", false
	}
	if time.Now().Unix() >= v.Expires || ValidateUserName(v.Name) != nil || v.ID == "" {
		return User{}, "", false
	}
	return User{Name: v.Name, Expires: time.Unix(v.Expires, 0).UTC()}, v.ID, true
}

// Set issues the session cookie of u, a new session, and returns when it
// expires.
func (ss *Sessions) Set(w http.ResponseWriter, r *http.Request, u User) (time.Time, error) {
	expires := time.Now().Add(ss.maxAge).Truncate(time.Second)
	v := sessionValue{Name: u.Name, Expires: expires.Unix(), ID: rand.Text()}
	value, err := ss.codec.Encode(SessionCookie, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("encode the session of %q: %w", u.Name, err)
	}
	http.SetCookie(w, ss.cookie(r, value, int(ss.maxAge/time.Second), expires))
	return expires, nil
}

// Clear tells the browser to drop the session cookie.
func (ss *Sessions) Clear(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, ss.cookie(r, "", -1, time.Unix(0, 0)))
}

func (ss *Sessions) cookie(r *http.Request, value string, maxAge int, expires time.Time) *http.Cookie {
	return &http.Cookie{
		Name:     SessionCookie,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		Expires:  expires.UTC(),
		HttpOnly: true,
		Secure:   ss.cfg.Secure || r.TLS != nil,
		SameSite: ss.cfg.SameSite,
	}
}

// NameSignIn reports whether sign-in by a bare name is on.
func (ss *Sessions) NameSignIn() bool { return ss.cfg.NameSignIn }
