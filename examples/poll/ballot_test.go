//go:build !(js && wasm)

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/examples/poll/events"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
)

// testClient bounds every request of the tests.
var testClient = &http.Client{Timeout: 10 * time.Second}

// newPollServer serves the poll's API, behind its logging middleware, on
// loopback for the test.
func newPollServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv, err := server.New(server.Config{Schema: events.Schema, Authorizer: Policy{}})
	if err != nil {
		t.Fatal(err)
	}
	box := &ballotBox{srv: srv, tally: events.Tally{Votes: map[string]int{}}}
	mux := http.NewServeMux()
	srv.Mount(mux)
	mux.Handle("POST /vote", srv.Guard(box.vote))
	mux.HandleFunc("GET /tally", box.current)
	ts := httptest.NewServer(mux)
	t.Cleanup(func() { srv.Drain(); ts.Close() })
	return ts
}

func TestVotesAreCountedAndBadOnesRefused(t *testing.T) {
	ts := newPollServer(t)
	votes := []struct {
		name   string
		body   string
		status int
		total  int // of the tally answered, after a vote that is counted
	}{
		{"a vote for go is counted", `{"option": "go"}`, http.StatusOK, 1},
		{"a second vote for go is counted", `{"option": "go"}`, http.StatusOK, 2},
		{"a vote for zig is counted", `{"option": "zig"}`, http.StatusOK, 3},
		{"a vote for something else is refused", `{"option": "cobol"}`, http.StatusBadRequest, 0},
		{"a vote for nothing is refused", `{}`, http.StatusBadRequest, 0},
		{"a vote that is not JSON is refused", `option=go`, http.StatusBadRequest, 0},
	}
	for _, v := range votes {
		t.Run(v.name, func(t *testing.T) {
			resp, err := testClient.Post(ts.URL+"/vote", "application/json", strings.NewReader(v.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != v.status {
				t.Fatalf("vote %s: status %d, want %d", v.body, resp.StatusCode, v.status)
			}
			if v.status != http.StatusOK {
				return
			}
			var got events.Tally
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || got.Total != v.total {
				t.Fatalf("vote %s answered the tally %+v (%v), want a total of %d", v.body, got, err, v.total)
			}
		})
	}
	want := events.Tally{Votes: map[string]int{"go": 2, "zig": 1}, Total: 3}
	if got := getTally(t, ts.URL); !equalTallies(got, want) {
		t.Fatalf("GET /tally = %+v, want %+v", got, want)
	}
}

func TestAVoteIsStreamedAsTheNewTally(t *testing.T) {
	ts := newPollServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/events?topic="+events.Topic, nil)
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /events: status %d", resp.StatusCode)
	}
	vote, err := testClient.Post(ts.URL+"/vote", "application/json", strings.NewReader(`{"option": "rust"}`))
	if err != nil {
		t.Fatal(err)
	}
	vote.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		got, err := events.TallyEvent.Decode([]byte(data))
		if err != nil {
			t.Fatal(err)
		}
		if want := (events.Tally{Votes: map[string]int{"rust": 1}, Total: 1}); !equalTallies(got, want) {
			t.Fatalf("streamed tally %+v, want %+v", got, want)
		}
		return
	}
	t.Fatalf("the stream ended without a tally: %v", sc.Err())
}

func TestThePolicyOpensThePollToReadersAndNothingElse(t *testing.T) {
	tests := []struct {
		name      string
		user      security.User
		topic     string
		read, pub bool
	}{
		{"anyone reads the poll", security.User{}, events.Topic, true, false},
		{"a signed-in user reads the poll but does not publish to it", security.User{Name: "ann"}, events.Topic, true, false},
		{"nobody reads another topic", security.User{Name: "ann"}, "user/ann", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (Policy{}).CanRead(tt.user, tt.topic); got != tt.read {
				t.Errorf("CanRead(%+v, %q) = %v, want %v", tt.user, tt.topic, got, tt.read)
			}
			if got := (Policy{}).CanPublish(tt.user, tt.topic, events.TallyEvent.Name()); got != tt.pub {
				t.Errorf("CanPublish(%+v, %q) = %v, want %v", tt.user, tt.topic, got, tt.pub)
			}
		})
	}
}

// getTally returns the answer of GET /tally.
func getTally(t *testing.T, base string) events.Tally {
	t.Helper()
	resp, err := testClient.Get(base + "/tally")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tally events.Tally
	if err := json.NewDecoder(resp.Body).Decode(&tally); err != nil {
		t.Fatalf("decode GET /tally: %v", err)
	}
	return tally
}

// equalTallies reports whether a and b count the same votes.
func equalTallies(a, b events.Tally) bool {
	return a.Total == b.Total && maps.Equal(a.Votes, b.Votes)
}
