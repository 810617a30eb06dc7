package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/server"
)

// statusForHost sends GET /session to ts with the Host header host and
// returns the status and the JSON error, if any.
func statusForHost(t *testing.T, ts *httptest.Server, host string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", ts.URL+"/session", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET /session with Host %q: %v", host, err)
	}
	defer resp.Body.Close()
	var e struct{ Error string }
	_ = json.NewDecoder(resp.Body).Decode(&e)
	return resp.StatusCode, e.Error
}

func TestTheHostAllowlistRefusesOtherNames(t *testing.T) {
	cases := []struct {
		name    string
		cfg     server.Config
		host    string
		refused bool
	}{
		{"on loopback, localhost with any port is accepted", server.Config{Loopback: true}, "localhost:8000", false},
		{"on loopback, 127.0.0.1 is accepted", server.Config{Loopback: true}, "127.0.0.1:9", false},
		{"on loopback, [::1] is accepted", server.Config{Loopback: true}, "[::1]:8000", false},
		{"on loopback, LOCALHOST in capitals is accepted", server.Config{Loopback: true}, "LOCALHOST:8000", false},
		{"on loopback, a rebound name is refused", server.Config{Loopback: true}, "evil.example:8000", true},
		{"on loopback, a name ending in localhost is refused", server.Config{Loopback: true}, "localhost.evil.example", true},
		{"a configured host is accepted with any port", server.Config{AllowedHosts: []string{"herald.example"}}, "herald.example:8443", false},
		{"a configured host:port is accepted", server.Config{AllowedHosts: []string{"herald.example:8443"}}, "herald.example:8443", false},
		{"a configured host:port refuses another port", server.Config{AllowedHosts: []string{"herald.example:8443"}}, "herald.example:9000", true},
		{"configured hosts replace the loopback names", server.Config{Loopback: true, AllowedHosts: []string{"herald.example"}}, "localhost:8000", true},
		{"off loopback with none configured, any host is accepted", server.Config{}, "evil.example", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, ts := newTestServer(t, c.cfg)
			status, msg := statusForHost(t, ts, c.host)
			if refused := status == http.StatusMisdirectedRequest; refused != c.refused {
				t.Fatalf("Host %q: %d %q, want refused %v", c.host, status, msg, c.refused)
			}
			if c.refused && !strings.Contains(msg, "not one of this server's names") {
				t.Errorf("Host %q: JSON error %q, want one that says why", c.host, msg)
			}
		})
	}
}

func TestARefusedHostIsCountedAsOrigin(t *testing.T) {
	srv, ts := newTestServer(t, server.Config{Loopback: true})
	before := srv.Stats().Refused
	statusForHost(t, ts, "evil.example")
	after := srv.Stats().Refused
	if after.Origin != before.Origin+1 {
		t.Errorf("origin refusals went from %d to %d, want one more", before.Origin, after.Origin)
	}
}

func TestCheckHostGuardsAProgramsOwnHandlers(t *testing.T) {
	srv, err := server.New(server.Config{Schema: testSchema(), Loopback: true})
	if err != nil {
		t.Fatal(err)
	}
	page := srv.CheckHost(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) }))
	for host, want := range map[string]int{"localhost:8000": http.StatusTeapot, "evil.example": http.StatusMisdirectedRequest} {
		req := httptest.NewRequest("GET", "/", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		page.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("page with Host %q: %d, want %d", host, rec.Code, want)
		}
		if want != http.StatusTeapot && !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Errorf("page with Host %q: Content-Type %q, want the JSON error", host, rec.Header().Get("Content-Type"))
		}
	}
}

func TestGuardAnswersACrossOriginPostWithTheJSONError(t *testing.T) {
	srv, err := server.New(server.Config{Schema: testSchema()})
	if err != nil {
		t.Fatal(err)
	}
	jobs := srv.Guard(func(w http.ResponseWriter, _ *http.Request) error { w.WriteHeader(http.StatusAccepted); return nil })
	cases := []struct {
		name   string
		header http.Header
		want   int
	}{
		{"a same-origin post passes", hdr("Sec-Fetch-Site", "same-origin"), http.StatusAccepted},
		{"a cross-site post is refused", hdr("Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example"), http.StatusForbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "http://localhost/jobs", nil)
			req.Header = c.header
			rec := httptest.NewRecorder()
			jobs.ServeHTTP(rec, req)
			if rec.Code != c.want {
				t.Fatalf("POST /jobs: %d, want %d", rec.Code, c.want)
			}
			var e struct{ Error string }
			if c.want == http.StatusForbidden && (json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error == "") {
				t.Errorf("POST /jobs refused with %q, want the JSON error", rec.Body.String())
			}
		})
	}
}
