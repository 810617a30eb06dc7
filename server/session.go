package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/heraldhq/herald/server/security"
)

// Session is the JSON answer of GET and POST /session.
type Session struct {
	// Name is the signed-in user's name.
	Name string `json:"name"`
	// Expires is when the session ends: when the session cookie stops being
	// accepted, or the User.Expires an Authenticator gave; zero when it does
	// not end.
	Expires time.Time `json:"expires,omitzero"`
}

// SignIn issues the session cookie of u on w: the way for a program's own
// sign-in handler to start a session once its identity provider vouches for
// u. It returns when the session expires.
func (s *Server) SignIn(w http.ResponseWriter, r *http.Request, u security.User) (time.Time, error) {
	if err := security.ValidateUserName(u.Name); err != nil {
		return time.Time{}, fmt.Errorf("sign in: %w", err)
	}
	expires, err := s.sec.sessions.Set(w, r, u)
	if err == nil {
		s.auditSignIn(r, u)
	}
	return expires, err
}

// SignOut ends r's session, if r has a valid session cookie: it clears the
// cookie on w, revokes the session so that a copy of its cookie is refused
// from now on, on every server that shares the Config's Revocations, and
// ends the streams that the session opened on this server. The user's other
// sessions, such as in another browser, keep theirs. It fails when the
// revocation cannot be recorded; the cookie is cleared all the same.
func (s *Server) SignOut(w http.ResponseWriter, r *http.Request) error {
	s.sec.sessions.Clear(w, r)
	u, id, ok := s.sec.sessions.User(r)
	if !ok {
		return nil
	}
	s.bySession.end(id)
	if err := s.sec.revocations.Revoke(r.Context(), id, u.Expires); err != nil {
		return fmt.Errorf("sign out %q: revoke the session: %w", u.Name, err)
	}
	s.auditSignOut(r, u)
	return nil
}

// UserOf returns who r comes from: the user of its session cookie, or else
// the one the Config's Authenticator names, or the zero User.
func (s *Server) UserOf(r *http.Request) security.User { return s.authenticate(r) }

// maxSessionBody bounds the body of POST /session.
const maxSessionBody = 1 << 10

// serveSession answers GET /session: the signed-in user, or 401.
// Being signed out is an answer, not a refusal: it is neither logged nor
// counted.
func (s *Server) serveSession(w http.ResponseWriter, r *http.Request) error {
	if u := s.authenticate(r); u.SignedIn() {
		writeJSON(w, http.StatusOK, Session{Name: u.Name, Expires: u.Expires.UTC()})
		return nil
	}
	writeJSON(w, http.StatusUnauthorized, errorBody{Error: "signed out"})
	return nil
}

// signInRequest is the body of POST /session.
type signInRequest struct {
	Name string `json:"name"`
}

// serveSignIn answers POST /session {"name": "alice"}: when sign-in by name
// is on, it sets the session cookie of that user.
func (s *Server) serveSignIn(w http.ResponseWriter, r *http.Request) error {
	if !s.sec.sessions.NameSignIn() {
		return refuse(http.StatusForbidden, refusedAuth, "sign-in by name is disabled")
	}
	if err := s.allowSignIn(r); err != nil {
		return err
	}
	body, err := readBody(w, r, maxSessionBody, "sign-in")
	if err != nil {
		return err
	}
	name, err := decodeSignIn(body)
	if err != nil {
		return badInput(err)
	}
	expires, err := s.SignIn(w, r, security.User{Name: name})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Session{Name: name, Expires: expires.UTC()})
	return nil
}

// decodeSignIn reads the name of a sign-in body, strictly.
func decodeSignIn(body []byte) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var req signInRequest
	if err := dec.Decode(&req); err != nil {
		return "", fmt.Errorf(`sign-in body is not {"name": "…"}: %w`, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return "", errors.New("sign-in body has data after the JSON value")
	}
	return req.Name, security.ValidateUserName(req.Name)
}

// serveSignOut answers DELETE /session: it clears the session cookie,
// revokes the session and ends its streams.
func (s *Server) serveSignOut(w http.ResponseWriter, r *http.Request) error {
	if err := s.SignOut(w, r); err != nil {
		return refuse(http.StatusServiceUnavailable, refusedUnavailable, "%v", err).later(busyRetry)
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
	return nil
}
