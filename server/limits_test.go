package server_test

import (
	"bufio"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
)

// waitEvent reads resp's stream until a data line holding want, or fails the
// test after a few seconds.
func waitEvent(t *testing.T, resp *http.Response, want string) {
	t.Helper()
	found := make(chan error, 1)
	go func() {
		r := bufio.NewReader(resp.Body)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				found <- err
				return
			}
			if strings.HasPrefix(line, "data: ") && strings.Contains(line, want) {
				found <- nil
				return
			}
		}
	}()
	select {
	case err := <-found:
		if err != nil {
			t.Errorf("stream ended before %q: %v", want, err)
		}
	case <-time.After(5 * time.Second):
		t.Errorf("no event with %q within 5s", want)
	}
}

// checkBusy checks that resp is a refusal with status and a Retry-After.
func checkBusy(t *testing.T, what string, resp *http.Response, status int) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("%s: status %d, want %d", what, resp.StatusCode, status)
		return
	}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("%s: Retry-After = %q, want a number of seconds", what, resp.Header.Get("Retry-After"))
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("%s: Content-Type = %q, want a JSON error", what, resp.Header.Get("Content-Type"))
	}
}

func TestConnectionLimitsRefuseAFloodWhileOthersGetTheirEvents(t *testing.T) {
	srv, ts := newTestServer(t, server.Config{
		MaxConns: 12, MaxConnsPerClient: 4, MaxConnsPerUser: 2,
		Session: security.SessionConfig{NameSignIn: true},
	})
	flooder, quiet := clientFrom(t, "127.0.0.2"), clientFrom(t, "127.0.0.3")

	// A client that stays within its limits, connected before the flood.
	calm, _ := openFrom(t, quiet, ts, "/events?topic=public", nil)
	if calm.StatusCode != 200 {
		t.Fatalf("the quiet client's stream: %d", calm.StatusCode)
	}

	// One address opens far more streams than its limit, all at once.
	const flood = 40
	statuses := make(chan *http.Response, flood)
	var wg sync.WaitGroup
	for range flood {
		wg.Go(func() {
			resp, _ := openFrom(t, flooder, ts, "/events?topic=public", nil)
			statuses <- resp
		})
	}
	wg.Wait()
	close(statuses)
	var open []*http.Response
	for resp := range statuses {
		if resp.StatusCode == 200 {
			open = append(open, resp)
			continue
		}
		checkBusy(t, "a stream over the client limit", resp, http.StatusTooManyRequests)
	}
	if len(open) != 4 {
		t.Errorf("the flooding address got %d streams, want its limit of 4", len(open))
	}

	// A user over their own limit, from a third address.
	alice := signIn(t, ts, "alice")
	aliceClient := clientFrom(t, "127.0.0.4")
	cookie := hdr("Cookie", alice.Name+"="+alice.Value)
	for i := range 3 {
		resp, _ := openFrom(t, aliceClient, ts, "/events?topic=user/alice", cookie)
		if i < 2 && resp.StatusCode != 200 {
			t.Errorf("alice's stream %d: %d, want 200", i, resp.StatusCode)
		}
		if i == 2 {
			checkBusy(t, "a stream over the user limit", resp, http.StatusTooManyRequests)
		}
	}

	// Fill the server: 1 + 4 + 2 streams are open; five more addresses
	// bring it to 12, and the next is refused with 503.
	for i := range 5 {
		resp, _ := openFrom(t, clientFrom(t, fmt.Sprintf("127.0.0.%d", 10+i)), ts, "/events?topic=public", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("filling stream %d: %d", i, resp.StatusCode)
		}
	}
	late, _ := openFrom(t, clientFrom(t, "127.0.0.20"), ts, "/events?topic=public", nil)
	checkBusy(t, "a stream over the total limit", late, http.StatusServiceUnavailable)
	if got := srv.Stats().Streams; got != 12 {
		t.Errorf("%d streams open, want 12", got)
	}

	// Everyone admitted still gets events, and the server still answers.
	if status, out := publish(t, ts, notification("public", "still here")); status != 200 {
		t.Fatalf("publish during the flood: %d %v", status, out)
	}
	waitEvent(t, calm, "still here")
	for _, resp := range open {
		waitEvent(t, resp, "still here")
	}
	if a := do(t, nil, ts, request{method: "GET", path: "/healthz"}); a.status != 200 {
		t.Errorf("/healthz during the flood: %d", a.status)
	}
}

func TestAClosedStreamFreesItsPlace(t *testing.T) {
	_, ts := newTestServer(t, server.Config{MaxConnsPerClient: 1})
	client := clientFrom(t, "127.0.0.5")
	first, closeFirst := openFrom(t, client, ts, "/events?topic=public", nil)
	if first.StatusCode != 200 {
		t.Fatalf("first stream: %d", first.StatusCode)
	}
	second, _ := openFrom(t, client, ts, "/events?topic=public", nil)
	checkBusy(t, "a second stream", second, http.StatusTooManyRequests)
	closeFirst()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, closeIt := openFrom(t, client, ts, "/events?topic=public", nil)
		if resp.StatusCode == 200 {
			closeIt()
			return
		}
		closeIt()
		if time.Now().After(deadline) {
			t.Fatalf("5s after the first stream closed, a new one still gets %d", resp.StatusCode)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
