package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	demo "github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
)

func TestSignInSetsAnEncryptedHttpOnlyLaxCookie(t *testing.T) {
	_, ts := newTestServer(t, server.Config{Session: security.SessionConfig{NameSignIn: true}})
	a := do(t, nil, ts, request{method: "POST", path: "/session", body: `{"name":"alice"}`})
	if a.status != http.StatusOK {
		t.Fatalf("POST /session: %d %s", a.status, a.body)
	}
	var got server.Session
	if err := json.Unmarshal(a.body, &got); err != nil || got.Name != "alice" {
		t.Fatalf("POST /session answered %s, want the user alice", a.body)
	}
	if d := time.Until(got.Expires); d < 23*time.Hour || d > 25*time.Hour {
		t.Errorf("session expires in %v, want about the default 24h", d)
	}
	cookies := (&http.Response{Header: a.header}).Cookies()
	if len(cookies) != 1 {
		t.Fatalf("Set-Cookie = %q, want one cookie", a.header.Values("Set-Cookie"))
	}
	c := cookies[0]
	switch {
	case c.Name != security.SessionCookie:
		t.Errorf("cookie name %q, want %q", c.Name, security.SessionCookie)
	case !c.HttpOnly:
		t.Error("cookie is not HttpOnly")
	case c.SameSite != http.SameSiteLaxMode:
		t.Errorf("cookie SameSite = %v, want Lax", c.SameSite)
	case c.Secure:
		t.Error("cookie is Secure on plain HTTP with Secure off: the browser would drop it")
	case c.Path != "/":
		t.Errorf("cookie Path = %q, want /", c.Path)
	case c.MaxAge != int((24 * time.Hour).Seconds()):
		t.Errorf("cookie Max-Age = %d, want a day", c.MaxAge)
	case strings.Contains(c.Value, "alice"):
		t.Errorf("cookie value %q shows the name: it is not encrypted", c.Value)
	}

	if a := do(t, nil, ts, request{method: "GET", path: "/session", cookie: c}); a.status != 200 || !strings.Contains(string(a.body), `"name":"alice"`) {
		t.Errorf("GET /session with the cookie: %d %s, want alice", a.status, a.body)
	}
	out := do(t, nil, ts, request{method: "DELETE", path: "/session", cookie: c})
	cleared := (&http.Response{Header: out.header}).Cookies()
	if out.status != http.StatusNoContent || len(cleared) != 1 || cleared[0].MaxAge >= 0 || cleared[0].Value != "" {
		t.Errorf("DELETE /session: %d %q, want 204 and an emptied cookie", out.status, out.header.Values("Set-Cookie"))
	}
	if a := do(t, nil, ts, request{method: "GET", path: "/session"}); a.status != http.StatusUnauthorized || a.err == "" {
		t.Errorf("GET /session without a cookie: %d %s, want a JSON 401", a.status, a.body)
	}
}

func TestCookieSettingsFollowTheConfigAndTLS(t *testing.T) {
	cases := []struct {
		name         string
		session      security.SessionConfig
		tls          bool
		secure       bool
		sameSite     http.SameSite
		wantLifetime time.Duration
	}{
		{"a TLS request gets a Secure cookie", security.SessionConfig{}, true, true, http.SameSiteLaxMode, security.DefaultSessionMaxAge},
		{"Secure can be forced behind a TLS proxy", security.SessionConfig{Secure: true}, false, true, http.SameSiteLaxMode, security.DefaultSessionMaxAge},
		{"SameSite can be Strict", security.SessionConfig{SameSite: http.SameSiteStrictMode}, false, false, http.SameSiteStrictMode, security.DefaultSessionMaxAge},
		{"the lifetime follows MaxAge", security.SessionConfig{MaxAge: time.Hour}, false, false, http.SameSiteLaxMode, time.Hour},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.session.NameSignIn = true
			srv, err := server.New(server.Config{Schema: demo.Schema, Session: c.session})
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewUnstartedServer(srv.Handler())
			if c.tls {
				ts.StartTLS()
			} else {
				ts.Start()
			}
			t.Cleanup(ts.Close)
			a := do(t, ts.Client(), ts, request{method: "POST", path: "/session", body: `{"name":"alice"}`})
			cookies := (&http.Response{Header: a.header}).Cookies()
			if a.status != 200 || len(cookies) != 1 {
				t.Fatalf("POST /session: %d %q", a.status, a.header.Values("Set-Cookie"))
			}
			ck := cookies[0]
			if ck.Secure != c.secure || ck.SameSite != c.sameSite || ck.MaxAge != int(c.wantLifetime.Seconds()) || !ck.HttpOnly {
				t.Errorf("cookie %q: want Secure %v, SameSite %v, Max-Age %v, HttpOnly", a.header.Get("Set-Cookie"), c.secure, c.sameSite, c.wantLifetime)
			}
		})
	}
}

func TestSignInRefusesBadInput(t *testing.T) {
	_, ts := newTestServer(t, server.Config{Session: security.SessionConfig{NameSignIn: true}})
	cases := []struct {
		name, body string
		status     int
		wantErr    string
	}{
		{"an empty name is refused", `{"name":""}`, 400, "empty"},
		{"a name with a slash is refused", `{"name":"alice/inbox"}`, 400, `has '/'`},
		{"a name with a space is refused", `{"name":"a b"}`, 400, "not a letter"},
		{"a name with a line break is refused", `{"name":"a\r\nb"}`, 400, "not a letter"},
		{"a name over the limit is refused", `{"name":"` + strings.Repeat("a", security.MaxUserNameLen+1) + `"}`, 400, "longer than"},
		{"an unknown field is refused", `{"name":"alice","admin":true}`, 400, "unknown field"},
		{"a body that is not JSON is refused", `name=alice`, 400, "not {"},
		{"trailing data is refused", `{"name":"alice"}{}`, 400, "after the JSON value"},
		{"a body over the limit is refused", `{"name":"` + strings.Repeat("a", 2000) + `"}`, 413, "over 1024 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := do(t, nil, ts, request{method: "POST", path: "/session", body: c.body})
			if a.status != c.status || !strings.Contains(a.err, c.wantErr) {
				t.Errorf("got %d %q, want %d with %q", a.status, a.err, c.status, c.wantErr)
			}
			if len(a.header.Values("Set-Cookie")) != 0 {
				t.Errorf("a refused sign-in set a cookie: %q", a.header.Values("Set-Cookie"))
			}
		})
	}
}

func TestSignInByNameIsOffByDefault(t *testing.T) {
	_, ts := newTestServer(t, server.Config{})
	a := do(t, nil, ts, request{method: "POST", path: "/session", body: `{"name":"alice"}`})
	if a.status != http.StatusForbidden || !strings.Contains(a.err, "disabled") {
		t.Errorf("POST /session: %d %q, want 403 saying it is disabled", a.status, a.err)
	}
}

func TestATamperedForeignOrExpiredCookieIsSignedOut(t *testing.T) {
	cfg := server.Config{Session: security.SessionConfig{NameSignIn: true, MaxAge: time.Second}}
	_, ts := newTestServer(t, cfg)
	_, other := newTestServer(t, cfg) // same settings, its own random keys
	good := signIn(t, ts, "alice")
	expired := signIn(t, ts, "alice")
	foreign := signIn(t, other, "alice")
	tampered := *good
	b := []byte(tampered.Value)
	b[len(b)/2] ^= 1
	tampered.Value = string(b)
	time.Sleep(1500 * time.Millisecond) // expired is now past its second; good is signed again below
	good = signIn(t, ts, "alice")

	cases := []struct {
		name   string
		cookie *http.Cookie
		status int
	}{
		{"the genuine cookie reads the user's topic", good, 200},
		{"a tampered cookie is signed out", &tampered, 401},
		{"a cookie made with other keys is signed out", foreign, 401},
		{"an expired cookie is signed out", expired, 401},
		{"a cookie of random text is signed out", &http.Cookie{Name: security.SessionCookie, Value: "alice"}, 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := do(t, nil, ts, request{method: "GET", path: "/events?topic=user/alice", cookie: c.cookie})
			if a.status != c.status {
				t.Errorf("GET /events?topic=user/alice: %d %q, want %d", a.status, a.err, c.status)
			}
			s := do(t, nil, ts, request{method: "GET", path: "/session", cookie: c.cookie})
			if (s.status == 200) != (c.status == 200) {
				t.Errorf("GET /session: %d, want it to agree with the stream's %d", s.status, c.status)
			}
		})
	}
}

func TestAnAuthenticatorSignsInWithoutACookie(t *testing.T) {
	byHeader := security.AuthenticatorFunc(func(r *http.Request) (security.User, bool) {
		name := r.Header.Get("X-Test-User")
		return security.User{Name: name}, name != ""
	})
	_, ts := newTestServer(t, server.Config{Authenticator: byHeader})
	cases := []struct {
		name, user string
		status     int
	}{
		{"the named user reads their topic", "alice", 200},
		{"another user is forbidden", "bob", 403},
		{"an invalid name is signed out", "alice/x", 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := do(t, nil, ts, request{method: "GET", path: "/events?topic=user/alice", header: hdr("X-Test-User", c.user)})
			if a.status != c.status {
				t.Errorf("got %d %q, want %d", a.status, a.err, c.status)
			}
		})
	}
}

func TestBadSessionKeysAreRefusedAtNew(t *testing.T) {
	cases := []struct {
		name    string
		session security.SessionConfig
		wantErr string
	}{
		{"a short hash key", security.SessionConfig{HashKey: make([]byte, 16), BlockKey: make([]byte, 32)}, "hash key is 16 bytes"},
		{"a block key of no AES size", security.SessionConfig{HashKey: make([]byte, 32), BlockKey: make([]byte, 20)}, "block key is 20 bytes"},
		{"a hash key without a block key", security.SessionConfig{HashKey: make([]byte, 32)}, "set together"},
		{"SameSite None", security.SessionConfig{SameSite: http.SameSiteNoneMode}, "not Lax or Strict"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := server.New(server.Config{Schema: demo.Schema, Session: c.session})
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("New: %v, want an error with %q", err, c.wantErr)
			}
		})
	}
}
