package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	demo "github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
)

const token = "test-token"

// newTestServer starts a Server with cfg over real HTTP on loopback.
func newTestServer(t *testing.T, cfg server.Config) (*server.Server, *httptest.Server) {
	t.Helper()
	if cfg.Schema == nil {
		cfg.Schema = demo.Schema
	}
	if cfg.PublishToken == "" {
		cfg.PublishToken = token
	}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		srv.Drain()
		ts.Close()
	})
	return srv, ts
}

// stream is an open GET /events response read frame by frame.
type stream struct {
	t    *testing.T
	resp *http.Response
	r    *bufio.Reader
}

// openStream opens path on ts with the given headers and checks for a 200.
func openStream(t *testing.T, ts *httptest.Server, path string, header http.Header) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	noHeader := time.AfterFunc(10*time.Second, cancel) // a stream whose header never comes fails the test
	resp, err := http.DefaultClient.Do(req)
	if err != nil || !noHeader.Stop() {
		t.Fatalf("GET %s: no answer within 10s: %v", path, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: status %d: %s", path, resp.StatusCode, body)
	}
	return &stream{t: t, resp: resp, r: bufio.NewReader(resp.Body)}
}

// next returns the next frame: the lines up to a blank line, the blank line
// left out. It fails the test after a few seconds without one.
func (s *stream) next() []string {
	s.t.Helper()
	type result struct {
		lines []string
		err   error
	}
	done := make(chan result, 1)
	go func() {
		var lines []string
		for {
			line, err := s.r.ReadString('\n')
			if err != nil {
				done <- result{lines, err}
				return
			}
			line = strings.TrimSuffix(line, "\n")
			if line == "" {
				done <- result{lines, nil}
				return
			}
			lines = append(lines, line)
		}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			s.t.Fatalf("reading stream: %v (after %q)", r.err, r.lines)
		}
		return r.lines
	case <-time.After(5 * time.Second):
		s.t.Fatal("no frame within 5s")
		return nil
	}
}

// publish posts body to /publish with the test token and returns the status
// and the decoded JSON answer.
func publish(t *testing.T, ts *httptest.Server, body string) (int, map[string]any) {
	t.Helper()
	return post(t, ts, body, "Bearer "+token)
}

func post(t *testing.T, ts *httptest.Server, body, auth string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", ts.URL+"/publish", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("publish answer Content-Type = %q, want JSON", ct)
	}
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("publish answer is not JSON: %v", err)
	}
	return resp.StatusCode, out
}

func notification(topic, message string) string {
	b, _ := json.Marshal(map[string]any{
		"topic": topic, "type": "notification",
		"data": map[string]string{"user": "ann", "message": message, "level": "info"},
	})
	return string(b)
}
