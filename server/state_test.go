package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	demo "github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
	"github.com/heraldhq/herald/shared"
)

// GET /state answers under the rules of GET /events: a private topic is
// never in the state of someone who may not read it.
func TestStateTopicsNeedTheRightUserAsStreamsDo(t *testing.T) {
	srv, ts := newTestServer(t, server.Config{Authorizer: testPolicy{}, Session: security.SessionConfig{NameSignIn: true}})
	alice, bob := signIn(t, ts, "alice"), signIn(t, ts, "bob")
	if _, err := server.Publish(srv, "user/alice", demo.LogEvent, demo.LogLine{Level: "info", Text: "alice's secret"}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, topics string
		cookie       *http.Cookie
		status       int
		wantErr      string
	}{
		{"anyone reads the state of public topics", "topic=public&topic=logs", nil, 200, ""},
		{"a signed-out reader of a user topic gets 401", "topic=user/alice", nil, 401, `sign in to read topic "user/alice"`},
		{"another user gets 403", "topic=user/alice", bob, 403, `user "bob" may not read topic "user/alice"`},
		{"one private topic among public ones is refused", "topic=public&topic=user/alice", bob, 403, "user/alice"},
		{"the user reads the state of their own topic", "topic=user/alice", alice, 200, ""},
		{"no topic is refused", "", nil, 400, "no topic"},
		{"an invalid topic is refused", "topic=a%0Ab", nil, 400, "topic"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := do(t, nil, ts, request{method: "GET", path: "/state?" + c.topics, cookie: c.cookie})
			if a.status != c.status || !strings.Contains(a.err, c.wantErr) {
				t.Errorf("got %d %q, want %d with %q", a.status, a.err, c.status, c.wantErr)
			}
			if a.status != 200 && strings.Contains(string(a.body), "secret") {
				t.Errorf("a refusal carries the private event: %s", a.body)
			}
		})
	}
}

// PublicHistory, the state of a page the same for every reader, refuses a
// topic a signed-out user may not read.
func TestPublicHistoryRefusesATopicASignedOutUserMayNotRead(t *testing.T) {
	srv, _ := newTestServer(t, server.Config{Authorizer: testPolicy{}})
	if _, err := server.Publish(srv, "user/alice", demo.LogEvent, demo.LogLine{Level: "info", Text: "alice's secret"}); err != nil {
		t.Fatal(err)
	}
	if h, err := srv.PublicHistory([]string{"public", "user/alice"}); err == nil || !strings.Contains(err.Error(), "user/alice") {
		t.Errorf("PublicHistory of a user's topic = %v, %v; want an error that names it", h, err)
	}
	if _, err := srv.PublicHistory([]string{"public", "logs"}); err != nil {
		t.Errorf("PublicHistory of public topics: %v", err)
	}
}

func TestTheStateIsTheHistoryOfItsTopicsAtTheIdAStreamResumesFrom(t *testing.T) {
	srv, ts := newTestServer(t, server.Config{})
	var logs []string
	for i, text := range []string{"one", "two"} {
		id, err := server.Publish(srv, "logs", demo.LogEvent, demo.LogLine{Level: "info", Text: text})
		if err != nil {
			t.Fatalf("publish log %d: %v", i, err)
		}
		logs = append(logs, id)
	}
	last, err := server.Publish(srv, "metrics", demo.MetricEvent, demo.Metric{Name: "streams", Value: 1})
	if err != nil {
		t.Fatal(err)
	}
	a := do(t, nil, ts, request{method: "GET", path: "/state?topic=logs"})
	var h shared.History
	if err := json.Unmarshal(a.body, &h); a.status != 200 || err != nil {
		t.Fatalf("GET /state: %d %s, %v", a.status, a.body, err)
	}
	if h.ID != last || h.Since != "" || len(h.Events) != 2 {
		t.Fatalf("state %+v, want the 2 logs, at id %s, complete", h, last)
	}
	for i, e := range h.Events {
		if e.ID != logs[i] || e.Type != "log" || !strings.Contains(e.Data, `"level":"info"`) {
			t.Errorf("event %d: %+v, want id %s, a log line", i, e, logs[i])
		}
	}
	if got := a.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q, want no-store: a state is never current from a cache", got)
	}
}

func TestTheStateTakesAPlaceUnderTheConnectionLimitsAsAStreamDoes(t *testing.T) {
	_, ts := newTestServer(t, server.Config{MaxConnsPerClient: 1})
	client := clientFrom(t, "127.0.0.6")
	stream, closeStream := openFrom(t, client, ts, "/events?topic=public", nil)
	if stream.StatusCode != 200 {
		t.Fatalf("stream: %d", stream.StatusCode)
	}
	a := do(t, client, ts, request{method: "GET", path: "/state?topic=public"})
	if a.status != http.StatusTooManyRequests {
		t.Errorf("state beside a stream at the limit: %d %q, want 429", a.status, a.err)
	}
	closeStream()
	deadline := time.Now().Add(5 * time.Second)
	for do(t, client, ts, request{method: "GET", path: "/state?topic=public"}).status != 200 {
		if time.Now().After(deadline) {
			t.Fatal("5s after the stream closed, GET /state is still refused")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if a := do(t, client, ts, request{method: "GET", path: "/state?topic=public"}); a.status != 200 {
		t.Errorf("a state after a state: %d %q, want 200: the first must free its place", a.status, a.err)
	}
}

// HEAD /state answers the header GET would, and takes no history.
func TestHeadStateAnswersTheHeaderOfTheState(t *testing.T) {
	_, ts := newTestServer(t, server.Config{Authorizer: testPolicy{}})
	for _, c := range []struct {
		name, topics string
		status       int
	}{
		{"public topics", "topic=public", 200},
		{"a user's topic, signed out", "topic=user/alice", 401},
	} {
		a := do(t, nil, ts, request{method: "HEAD", path: "/state?" + c.topics})
		if a.status != c.status || len(a.body) != 0 {
			t.Errorf("%s: HEAD answered %d with %d bytes; want %d and no body", c.name, a.status, len(a.body), c.status)
		}
	}
}
