package server

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// Session is the JSON answer of GET and POST /session.
type Session struct {
	// Name is the signed-in user's name.
	Name string `json:"name"`
	// Expires is when the session ends: when the session cookie stops being
	// accepted, or the User.Expires an Authenticator gave; zero when it does
	// not end.
	Expires time.Time `json:"expires,omitzero"`
}

// sessions issues and reads the session cookie.
type sessions struct {
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

// newSessions checks c's keys, or makes random ones when it has none.
func newSessions(c SessionConfig) (*sessions, error) {
	switch {
	case c.HashKey == nil && c.BlockKey == nil:
		c.HashKey = securecookie.GenerateRandomKey(64)
		c.BlockKey = securecookie.GenerateRandomKey(32)
		if c.HashKey == nil || c.BlockKey == nil {
			return nil, errors.New("server config: cannot make random session keys")
		}
	case c.HashKey == nil || c.BlockKey == nil:
		return nil, errors.New("server config: Session.HashKey and Session.BlockKey must be set together")
	}
	if err := CheckSessionKeys(c.HashKey, c.BlockKey); err != nil {
		return nil, fmt.Errorf("server config: %w", err)
	}
	switch c.SameSite {
	case 0, http.SameSiteDefaultMode:
		c.SameSite = http.SameSiteLaxMode
	case http.SameSiteLaxMode, http.SameSiteStrictMode:
	default:
		return nil, fmt.Errorf("server config: Session.SameSite %d is not Lax or Strict", c.SameSite)
	}
	if c.MaxAge < 0 {
		return nil, fmt.Errorf("server config: Session.MaxAge is negative: %v", c.MaxAge)
	}
	maxAge := c.MaxAge
	if maxAge == 0 {
		maxAge = DefaultSessionMaxAge
	}
	if maxAge < time.Second {
		return nil, fmt.Errorf("server config: Session.MaxAge %v is under a second", maxAge)
	}
	codec := securecookie.New(c.HashKey, c.BlockKey).
		SetSerializer(securecookie.JSONEncoder{}).
		MaxAge(int(maxAge / time.Second))
	return &sessions{codec: codec, maxAge: maxAge, cfg: c}, nil
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

// user returns the user of r's session cookie and the session's id, if r
// has a valid cookie. A cookie without an id, made before sessions had one,
// is not valid.
func (ss *sessions) user(r *http.Request) (u User, id string, ok bool) {
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

// set issues the session cookie of u, a new session, and returns when it
// expires.
func (ss *sessions) set(w http.ResponseWriter, r *http.Request, u User) (time.Time, error) {
	expires := time.Now().Add(ss.maxAge).Truncate(time.Second)
	v := sessionValue{Name: u.Name, Expires: expires.Unix(), ID: rand.Text()}
	value, err := ss.codec.Encode(SessionCookie, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("encode the session of %q: %w", u.Name, err)
	}
	http.SetCookie(w, ss.cookie(r, value, int(ss.maxAge/time.Second), expires))
	return expires, nil
}

// clear tells the browser to drop the session cookie.
func (ss *sessions) clear(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, ss.cookie(r, "", -1, time.Unix(0, 0)))
}

func (ss *sessions) cookie(r *http.Request, value string, maxAge int, expires time.Time) *http.Cookie {
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

// SignIn issues the session cookie of u on w: the way for a program's own
// sign-in handler to start a session once its identity provider vouches for
// u. It returns when the session expires.
func (s *Server) SignIn(w http.ResponseWriter, r *http.Request, u User) (time.Time, error) {
	if err := ValidateUserName(u.Name); err != nil {
		return time.Time{}, fmt.Errorf("sign in: %w", err)
	}
	return s.sec.sessions.set(w, r, u)
}

// SignOut clears the session cookie on w and ends the streams that r's
// session opened on this server, if r has a valid session cookie. The
// user's other sessions, such as in another browser, keep theirs.
func (s *Server) SignOut(w http.ResponseWriter, r *http.Request) {
	s.sec.sessions.clear(w, r)
	if _, id, ok := s.sec.sessions.user(r); ok {
		s.bySession.end(id)
	}
}

// UserOf returns who r comes from: the user of its session cookie, or else
// the one the Config's Authenticator names, or the zero User.
func (s *Server) UserOf(r *http.Request) User { return s.authenticate(r) }

// maxSessionBody bounds the body of POST /session.
const maxSessionBody = 1 << 10

// serveSession answers GET /session: the signed-in user, or 401.
func (s *Server) serveSession(w http.ResponseWriter, r *http.Request) {
	if u := s.authenticate(r); u.SignedIn() {
		writeJSON(w, http.StatusOK, Session{Name: u.Name, Expires: u.Expires.UTC()})
		return
	}
	markQuiet(w)
	writeError(w, http.StatusUnauthorized, "signed out")
}

// signInRequest is the body of POST /session.
type signInRequest struct {
	Name string `json:"name"`
}

// serveSignIn answers POST /session {"name": "alice"}: when sign-in by name
// is on, it sets the session cookie of that user.
func (s *Server) serveSignIn(w http.ResponseWriter, r *http.Request) {
	if !s.sec.sessions.cfg.NameSignIn {
		writeError(w, http.StatusForbidden, "sign-in by name is disabled")
		return
	}
	body, ok := readBody(w, r, maxSessionBody, "sign-in")
	if !ok {
		return
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var req signInRequest
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, `sign-in body is not {"name": "…"}: `+err.Error())
		return
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		writeError(w, http.StatusBadRequest, "sign-in body has data after the JSON value")
		return
	}
	if err := ValidateUserName(req.Name); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	expires, err := s.SignIn(w, r, User{Name: req.Name})
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, Session{Name: req.Name, Expires: expires.UTC()})
}

// serveSignOut answers DELETE /session: it clears the session cookie and
// ends the session's streams.
func (s *Server) serveSignOut(w http.ResponseWriter, r *http.Request) {
	s.SignOut(w, r)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
