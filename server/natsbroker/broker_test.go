package natsbroker_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	demo "github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/internal/natstest"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/engine"
	"github.com/heraldhq/herald/server/natsbroker"
)

const token = "test-token"

// node is one Herald server on a broker of its own, over HTTP on loopback.
type node struct {
	srv    *server.Server
	ts     *httptest.Server
	broker *natsbroker.Broker
}

// newNode opens a broker on the NATS server at url with cfg and starts a
// Herald server on it with scfg.
func newNode(t *testing.T, url string, cfg natsbroker.Config, scfg server.Config) *node {
	t.Helper()
	cfg.URL = url
	b, err := natsbroker.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	scfg.Schema, scfg.PublishToken, scfg.Broker = demo.Schema, token, b
	srv, err := server.New(scfg)
	if err != nil {
		b.Close()
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Drain(); ts.Close() })
	return &node{srv: srv, ts: ts, broker: b}
}

func message(topic, text string) engine.Message {
	return engine.Message{Topic: topic, Type: "notification", Data: []byte(`{"user":"ann","message":"` + text + `","level":"info"}`)}
}

// publish publishes n events to topic on nd and returns their ids.
func (nd *node) publish(t *testing.T, topic string, n int) []string {
	t.Helper()
	var ids []string
	for i := 0; i < n; i++ {
		got, err := nd.srv.Publish(message(topic, "m"+strconv.Itoa(i)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, got...)
	}
	return ids
}

// sseStream is an open GET /events read event by event.
type sseStream struct {
	t *testing.T
	r *bufio.Reader
}

func (nd *node) open(t *testing.T, path, lastID string) *sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", nd.ts.URL+path, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, resp.StatusCode)
	}
	return &sseStream{t: t, r: bufio.NewReader(resp.Body)}
}

// next returns the next frame's lines, heartbeats included, failing the test
// after 10 s without one.
func (s *sseStream) next() []string {
	s.t.Helper()
	done := make(chan []string, 1)
	go func() {
		var lines []string
		for {
			line, err := s.r.ReadString('\n')
			if err != nil {
				done <- append(lines, "error: "+err.Error())
				return
			}
			if line = strings.TrimSuffix(line, "\n"); line == "" {
				done <- lines
				return
			}
			lines = append(lines, line)
		}
	}()
	select {
	case lines := <-done:
		return lines
	case <-time.After(10 * time.Second):
		s.t.Fatal("no frame within 10s")
		return nil
	}
}

// nextEvent returns the id of the next event, or its type if it has none,
// passing over the frames that are not events: the retry, heartbeats and the
// herald.position events.
func (s *sseStream) nextEvent() string {
	s.t.Helper()
	for {
		lines := s.next()
		if _, _, ok := cutPosition(lines); ok {
			continue
		}
		switch {
		case len(lines) > 0 && strings.HasPrefix(lines[len(lines)-1], "error: "):
			s.t.Fatalf("stream broke: %q", lines)
		case len(lines) > 0 && strings.HasPrefix(lines[0], "event: "):
			return strings.TrimPrefix(lines[0], "event: ")
		case len(lines) >= 2 && strings.HasPrefix(lines[0], "id: "):
			return strings.TrimPrefix(lines[0], "id: ")
		}
	}
}

func (s *sseStream) expect(ids []string) {
	s.t.Helper()
	for _, want := range ids {
		if got := s.nextEvent(); got != want {
			s.t.Fatalf("got event %s, want %s (of %v)", got, want, ids)
		}
	}
}

func TestAnEventPublishedOnOneServerReachesTheOthersWithTheSameID(t *testing.T) {
	ns := natstest.Start(t)
	a := newNode(t, ns.URL(), natsbroker.Config{}, server.Config{})
	b := newNode(t, ns.URL(), natsbroker.Config{}, server.Config{})
	onA, onB := a.open(t, "/events?topic=public", ""), b.open(t, "/events?topic=public", "")
	onA.next()
	onB.start()
	ids := append(a.publish(t, "public", 2), b.publish(t, "public", 2)...)
	if want := []string{"1", "2", "3", "4"}; !slices.Equal(ids, want) {
		t.Errorf("ids = %v, want the stream sequences %v", ids, want)
	}
	onA.expect(ids)
	onB.expect(ids)
}

func TestAResumeOnAnotherServerReadsWhatItsHistoryLacksFromTheStream(t *testing.T) {
	tests := []struct {
		name      string
		maxEvents int64
		from      int    // index of the id resumed from
		wantGap   string // the gap's oldestId, "" for none
		wantFrom  int    // index of the first event replayed
	}{
		{name: "the stream holds the events: no gap", from: 2, wantFrom: 3},
		{name: "the stream dropped events after the id: a gap, then all it holds", maxEvents: 5, from: 2, wantGap: "9", wantFrom: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns := natstest.Start(t)
			cfg := natsbroker.Config{MaxEvents: tt.maxEvents}
			a := newNode(t, ns.URL(), cfg, server.Config{})
			a.publish(t, "other", 1)
			var ids []string
			for i := 0; i < 6; i++ {
				ids = append(ids, a.publish(t, "public", 1)...)
				a.publish(t, "other", 1)
			}
			// A server started now holds none of them in its history.
			b := newNode(t, ns.URL(), cfg, server.Config{})
			s := b.open(t, "/events?topic=public", ids[tt.from])
			if tt.wantGap != "" {
				s.startResumed()
				if got := s.next(); len(got) != 2 || got[0] != "event: herald.gap" || !strings.Contains(got[1], `"oldestId":"`+tt.wantGap+`"`) {
					t.Fatalf("first frame = %q, want a gap with oldestId %s", got, tt.wantGap)
				}
			}
			s.expect(ids[tt.wantFrom:])
			more := a.publish(t, "public", 1)
			s.expect(more)
		})
	}
}

func TestAResumeFromAnIDTheStreamNeverIssuedIsAGap(t *testing.T) {
	ns := natstest.Start(t)
	a := newNode(t, ns.URL(), natsbroker.Config{}, server.Config{})
	ids := a.publish(t, "public", 2)
	s := a.open(t, "/events?topic=public", "1000")
	if got := s.nextEvent(); got != "herald.gap" {
		t.Fatalf("first event %s, want herald.gap", got)
	}
	s.expect(ids)
}

func TestWhileNATSIsDownPublishesAreRefusedAndStreamsWaitThenMissNothing(t *testing.T) {
	ns := natstest.Start(t)
	a := newNode(t, ns.URL(), natsbroker.Config{Timeout: time.Second}, server.Config{Heartbeat: 100 * time.Millisecond, Retry: 2 * time.Second})
	b := newNode(t, ns.URL(), natsbroker.Config{Timeout: time.Second}, server.Config{Heartbeat: 100 * time.Millisecond, HistoryEvents: 1})
	s := b.open(t, "/events?topic=public", "")
	s.start()
	before := a.publish(t, "public", 2)
	s.expect(before)
	if got := status(t, b.ts.URL+"/events?topic=public&lastEventId=0", nil); got != http.StatusOK {
		t.Fatalf("a resume older than the history: status %d", got)
	}

	ns.Stop()
	waitFor(t, "readyz 503", func() bool { return status(t, a.ts.URL+"/readyz", nil) == http.StatusServiceUnavailable })
	resp := post(t, a.ts.URL+"/publish", `{"topic":"public","type":"notification","data":{"user":"ann","message":"x","level":"info"}}`)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "2" {
		t.Errorf("publish while NATS is down: %d, Retry-After %q; want 503, 2", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if got := s.next(); len(got) != 1 || got[0] != ":" {
		t.Errorf("while NATS is down the stream sent %q, want heartbeats", got)
	}
	if body := get(t, b.ts.URL+"/events?topic=public&lastEventId=0"); !strings.Contains(body, "\nretry: ") || strings.Contains(body, "id:") {
		t.Errorf("a resume that needs the stream while NATS is down got %q, want an empty stream that says when to come back", body)
	}

	ns.Restart()
	waitFor(t, "readyz 200 on both", func() bool {
		return status(t, a.ts.URL+"/readyz", nil) == http.StatusOK && status(t, b.ts.URL+"/readyz", nil) == http.StatusOK
	})
	var after []string
	waitFor(t, "a publish accepted", func() bool {
		ids, err := a.srv.Publish(message("public", "back"))
		after = append(after, ids...)
		return err == nil
	})
	after = append(after, a.publish(t, "public", 2)...)
	s.expect(after)
}

func status(t *testing.T, url string, _ http.Header) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// get returns the body of GET url, which must end within 10 s.
func get(t *testing.T, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v after %q", url, err, body)
	}
	return string(body)
}

func post(t *testing.T, url, body string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// waitFor polls cond every 50 ms for up to 20 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 20s for %s", what)
		}
	}
}

func TestAClientThatMovesBeforeItsFirstEventMissesNothingEvenOnAnEmptyStream(t *testing.T) {
	ns := natstest.Start(t)
	a := newNode(t, ns.URL(), natsbroker.Config{}, server.Config{})
	b := newNode(t, ns.URL(), natsbroker.Config{}, server.Config{})
	first := a.open(t, "/events?topic=public", "")
	if got := first.start(); got != "0" {
		t.Fatalf("position on an empty stream = %q, want 0", got)
	}
	ids := a.publish(t, "public", 2)
	// The client lost server a before it read an event: it resumes on b.
	moved := b.open(t, "/events?topic=public", "0")
	moved.expect(ids)
}
