package server_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	demo "github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
)

// A browser: an HTTP client of ts with a cookie jar of its own.
func browser(t *testing.T, ts *httptest.Server) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := *ts.Client()
	c.Jar = jar
	return &c
}

// signInAs signs name in with client and returns when the session expires.
func signInAs(t *testing.T, client *http.Client, ts *httptest.Server, name string) time.Time {
	t.Helper()
	a := do(t, client, ts, request{method: "POST", path: "/session", body: `{"name":"` + name + `"}`})
	var s server.Session
	if a.status != http.StatusOK || json.Unmarshal(a.body, &s) != nil {
		t.Fatalf("sign in %q: %d %s", name, a.status, a.body)
	}
	return s.Expires
}

// openWith opens a stream of path with client and checks for a 200.
func openWith(t *testing.T, client *http.Client, ts *httptest.Server, path string, header http.Header) *stream {
	t.Helper()
	resp, _ := openFrom(t, client, ts, path, header)
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	s := &stream{t: t, resp: resp, r: bufio.NewReader(resp.Body)}
	if got := s.next(); len(got) == 0 || !strings.HasPrefix(got[0], "retry: ") {
		t.Fatalf("GET %s began with %q, want the retry", path, got)
	}
	return s
}

// nextWith returns the next frame that is not a heartbeat, and fails unless
// it holds want.
func (s *stream) nextWith(want string) []string {
	s.t.Helper()
	for range 10 {
		got := s.next()
		if len(got) == 1 && got[0] == ":" {
			continue
		}
		if !strings.Contains(strings.Join(got, "\n"), want) {
			s.t.Fatalf("frame = %q, want one with %q", got, want)
		}
		return got
	}
	s.t.Fatalf("only heartbeats, no frame with %q", want)
	return nil
}

// ending reads the stream to its end, within 5 s, and returns what it sent
// last and when it ended.
func (s *stream) ending() (last string, at time.Time) {
	s.t.Helper()
	type result struct {
		last string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		for {
			line, err := s.r.ReadString('\n')
			if err != nil {
				r.err = err
				done <- r
				return
			}
			if line = strings.TrimSuffix(line, "\n"); line != "" {
				r.last = line
			}
		}
	}()
	select {
	case r := <-done:
		if r.err != io.EOF {
			s.t.Fatalf("the stream did not end cleanly: %v", r.err)
		}
		return r.last, time.Now()
	case <-time.After(5 * time.Second):
		s.t.Fatal("the stream did not end within 5s")
		return "", time.Time{}
	}
}

// checkSoonRetry fails unless line is a retry of under a second.
func checkSoonRetry(t *testing.T, line string) {
	t.Helper()
	var ms int
	if _, err := fmt.Sscanf(line, "retry: %d", &ms); err != nil || ms >= 1000 {
		t.Errorf("the stream ended with %q, want a retry of under a second", line)
	}
}

// streamPaths are the two ways a stream is written: taken from net/http
// (plain HTTP/1.1), or in its handler (HTTP/2).
var streamPaths = []struct {
	name  string
	http2 bool
}{
	{"a stream taken from net/http", false},
	{"a stream in its handler", true},
}

// startOver starts srv on loopback, over TLS and HTTP/2 when http2 is set.
func startOver(t *testing.T, srv *server.Server, http2 bool) *httptest.Server {
	t.Helper()
	ts := httptest.NewUnstartedServer(srv.Handler())
	if http2 {
		ts.EnableHTTP2 = true
		ts.StartTLS()
	} else {
		ts.Start()
	}
	t.Cleanup(func() { srv.Drain(); ts.Close() })
	return ts
}

func publishTo(t *testing.T, srv *server.Server, topic, message string) {
	t.Helper()
	if _, err := server.Publish(srv, topic, demo.Notify, demo.Notification{User: "ann", Message: message, Level: demo.Info}); err != nil {
		t.Fatal(err)
	}
}

func TestSigningOutEndsThatSessionsPrivateStreamsOnly(t *testing.T) {
	for _, p := range streamPaths {
		t.Run(p.name, func(t *testing.T) {
			srv, err := server.New(server.Config{Schema: demo.Schema, Retry: 5 * time.Second, Session: security.SessionConfig{NameSignIn: true}})
			if err != nil {
				t.Fatal(err)
			}
			ts := startOver(t, srv, p.http2)
			a, b := browser(t, ts), browser(t, ts) // alice in two browsers
			signInAs(t, a, ts, "alice")
			signInAs(t, b, ts, "alice")
			const private = "/events?topic=public&topic=user/alice"
			aPrivate := openWith(t, a, ts, private, nil)
			aPublic := openWith(t, a, ts, "/events?topic=public", nil)
			bPrivate := openWith(t, b, ts, private, nil)
			if http2 := aPrivate.resp.ProtoMajor == 2; http2 != p.http2 {
				t.Fatalf("stream over %s", aPrivate.resp.Proto)
			}
			publishTo(t, srv, "user/alice", "before")
			aPrivate.nextWith("before")
			bPrivate.nextWith("before")

			if out := do(t, a, ts, request{method: "DELETE", path: "/session"}); out.status != http.StatusNoContent {
				t.Fatalf("DELETE /session: %d %s", out.status, out.body)
			}
			last, _ := aPrivate.ending()
			checkSoonRetry(t, last)
			waitFor(t, "the stream counted closed with its session", func() bool { return srv.Stats().Closed.SessionEnded == 1 })
			if got := do(t, a, ts, request{method: "GET", path: private}); got.status != http.StatusUnauthorized {
				t.Errorf("the signed-out browser reconnecting to %s: %d %s, want 401", private, got.status, got.body)
			}
			openWith(t, a, ts, "/events?topic=public", nil) // signed out, public topics still open

			publishTo(t, srv, "user/alice", "after")
			publishTo(t, srv, "public", "to all")
			bPrivate.nextWith("after")
			bPrivate.nextWith("to all")
			aPublic.nextWith("to all")
			if st := srv.Stats(); st.Closed.SessionEnded != 1 || st.Streams != 3 {
				t.Errorf("after sign-out: %d streams open, %d closed with their session; want 3 and 1", st.Streams, st.Closed.SessionEnded)
			}
		})
	}
}

func TestAPrivateStreamEndsWhenItsSessionExpires(t *testing.T) {
	for _, p := range streamPaths {
		t.Run(p.name, func(t *testing.T) {
			srv, err := server.New(server.Config{
				Schema: demo.Schema, Retry: 5 * time.Second, MaxLifetime: time.Hour,
				Session: security.SessionConfig{NameSignIn: true, MaxAge: 2 * time.Second},
			})
			if err != nil {
				t.Fatal(err)
			}
			ts := startOver(t, srv, p.http2)
			a := browser(t, ts)
			expires := signInAs(t, a, ts, "alice")
			private := openWith(t, a, ts, "/events?topic=user/alice", nil)
			public := openWith(t, a, ts, "/events?topic=public", nil)
			last, ended := private.ending()
			checkSoonRetry(t, last)
			if early, late := expires.Sub(ended), ended.Sub(expires); early > 0 || late > time.Second {
				t.Errorf("the stream ended at %v, want at its session's expiry %v", ended.Format(time.StampMilli), expires.Format(time.StampMilli))
			}
			waitFor(t, "the stream counted closed with its session", func() bool { return srv.Stats().Closed.SessionEnded == 1 })
			if got := do(t, a, ts, request{method: "GET", path: "/events?topic=user/alice"}); got.status != http.StatusUnauthorized {
				t.Errorf("reconnecting after the expiry: %d %s, want 401", got.status, got.body)
			}
			publishTo(t, srv, "public", "still here")
			public.nextWith("still here")
			if st := srv.Stats(); st.Closed.Lifetime != 0 || st.Closed.SessionEnded != 1 {
				t.Errorf("closed at lifetime %d, with session %d; want 0 and 1", st.Closed.Lifetime, st.Closed.SessionEnded)
			}
		})
	}
}

func TestAnAuthenticatorsExpiryEndsTheStream(t *testing.T) {
	expires := time.Now().Add(300 * time.Millisecond)
	byHeader := security.AuthenticatorFunc(func(r *http.Request) (security.User, bool) {
		name := r.Header.Get("X-Test-User")
		return security.User{Name: name, Expires: expires}, name != ""
	})
	srv, ts := newTestServer(t, server.Config{Authenticator: byHeader})
	s := openWith(t, ts.Client(), ts, "/events?topic=user/alice", hdr("X-Test-User", "alice"))
	last, ended := s.ending()
	checkSoonRetry(t, last)
	if ended.Before(expires) || ended.Sub(expires) > time.Second {
		t.Errorf("the stream ended %v after the user's expiry, want within a second", ended.Sub(expires))
	}
	waitFor(t, "the stream counted closed with its session", func() bool { return srv.Stats().Closed.SessionEnded == 1 })
	if got := do(t, nil, ts, request{method: "GET", path: "/events?topic=user/alice", header: hdr("X-Test-User", "alice")}); got.status != http.StatusUnauthorized {
		t.Errorf("a user past their expiry: %d %s, want 401", got.status, got.body)
	}
}
