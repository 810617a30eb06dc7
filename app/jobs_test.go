//go:build !(js && wasm)

package main

import (
	"bufio"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/internal/testlog"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
)

// newJobServer returns a test server with the API and POST /jobs, whose jobs
// take a step every every, and a client signed in as alice.
func newJobServer(t *testing.T, every time.Duration) (*httptest.Server, *http.Client) {
	t.Helper()
	ts, _, client := newLimitedJobServer(t, every, server.NewRateLimiter("job start", defaultJobRate, defaultJobBurst), slog.New(slog.DiscardHandler))
	return ts, client
}

// newLimitedJobServer returns a test server as newJobServer does, whose job
// starts are limited by starts and whose server logs to log, with the
// server.
func newLimitedJobServer(t *testing.T, every time.Duration, starts *server.RateLimiter, log *slog.Logger) (*httptest.Server, *server.Server, *http.Client) {
	t.Helper()
	srv, err := server.New(server.Config{Schema: events.Schema, Session: security.SessionConfig{NameSignIn: true}, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	jobs := newJobRunner(ctx, srv, slog.New(slog.DiscardHandler), starts)
	jobs.every = every
	mux := http.NewServeMux()
	srv.Mount(mux)
	mux.Handle("POST /jobs", jobs.Handler())
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)

	cookie := signInCookie(t, ts.URL, "alice")
	client := &http.Client{Transport: cookieTransport(cookie)}
	return ts, srv, client
}

// cookieTransport sends a cookie with every request.
type cookieTransport string

func (c cookieTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Cookie", string(c))
	return http.DefaultTransport.RoundTrip(r)
}

func TestAJobPublishesItsProgressOnTheUsersTopicUntilDone(t *testing.T) {
	ts, client := newJobServer(t, time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/events?topic=user/alice", nil)
	stream, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	if stream.StatusCode != http.StatusOK {
		t.Fatalf("stream of user/alice: %d", stream.StatusCode)
	}

	resp, err := client.Post(ts.URL+"/jobs", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /jobs: %d, want 202", resp.StatusCode)
	}

	var got []events.Progress
	sc := bufio.NewScanner(stream.Body)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		p, err := events.ProgressEvent.Decode([]byte(data))
		if err != nil {
			t.Fatalf("progress event %q: %v", data, err)
		}
		got = append(got, p)
		if p.State != events.Running {
			break
		}
	}
	if len(got) != jobSteps+1 {
		t.Fatalf("got %d progress events, want %d", len(got), jobSteps+1)
	}
	for i, p := range got {
		if p.Done != i || p.Total != jobSteps || p.Job != got[0].Job {
			t.Errorf("event %d = %+v, want done %d of %d for job %s", i, p, i, jobSteps, got[0].Job)
		}
	}
	if last := got[len(got)-1]; last.State != events.Done {
		t.Errorf("last state %q, want done", last.State)
	}
}

func TestJobsRefuseTheSignedOutAndTooManyAtOnce(t *testing.T) {
	ts, client := newJobServer(t, time.Hour) // jobs that stay running
	resp, err := http.Post(ts.URL+"/jobs", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("signed out: %d, want 401", resp.StatusCode)
	}

	for i := 0; i <= maxJobsPerUser; i++ {
		resp, err := client.Post(ts.URL+"/jobs", "application/json", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := http.StatusAccepted
		if i == maxJobsPerUser {
			want = http.StatusTooManyRequests
		}
		if resp.StatusCode != want {
			t.Errorf("job %d: %d, want %d", i+1, resp.StatusCode, want)
		}
	}
}

// Job starts are limited per user, and the refusals of POST /jobs are
// logged and counted as the API's are.
func TestJobStartsAreRateLimitedAndTheirRefusalsLoggedAndCounted(t *testing.T) {
	var logs testlog.Buffer
	starts := server.NewRateLimiter("job start", 0.01, 2)
	ts, srv, client := newLimitedJobServer(t, time.Millisecond, starts, slog.New(slog.NewTextHandler(&logs, nil)))
	tests := []struct {
		name   string
		client *http.Client
		status int
	}{
		{"the signed out are refused", http.DefaultClient, http.StatusUnauthorized},
		{"a first job starts", client, http.StatusAccepted},
		{"a second job starts", client, http.StatusAccepted},
		{"a third is over the rate", client, http.StatusTooManyRequests},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := tt.client.Post(ts.URL+"/jobs", "application/json", nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("POST /jobs: %d, want %d", resp.StatusCode, tt.status)
			}
		})
	}
	if r := srv.Stats().Refused; r.Auth != 1 || r.Limit != 1 {
		t.Errorf("refusals counted: %d auth and %d limit, want 1 and 1", r.Auth, r.Limit)
	}
	if n := strings.Count(logs.String(), "path=/jobs"); n != 2 {
		t.Errorf("%d refusals of /jobs logged, want 2:\n%s", n, logs.String())
	}
}
