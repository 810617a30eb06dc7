package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/engine"
)

// storeBroker is a broker that keeps every event, as a shared one does, and
// can hold its deliveries back, as a node that lags behind the others would.
type storeBroker struct {
	mu         sync.Mutex
	seq        uint64
	stored     []engine.Record
	gone       uint64 // the events up to this sequence number are no longer stored
	deliver    func(engine.Record)
	hold       bool
	held       []engine.Record
	readyErr   error
	publishErr error
	readErr    error
}

func (b *storeBroker) Last(context.Context) (uint64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.seq, nil
}

func (b *storeBroker) Start(_ uint64, deliver func(engine.Record)) error {
	b.deliver = deliver
	return nil
}

func (b *storeBroker) Publish(_ context.Context, msgs []engine.Message) ([]uint64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.publishErr != nil {
		return nil, b.publishErr
	}
	var seqs []uint64
	for _, m := range msgs {
		b.seq++
		r := engine.Record{Message: m, Seq: b.seq, Time: time.Now()}
		b.stored = append(b.stored, r)
		seqs = append(seqs, r.Seq)
		if b.hold {
			b.held = append(b.held, r)
		} else {
			b.deliver(r)
		}
	}
	return seqs, nil
}

// release delivers the events held back.
func (b *storeBroker) release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, r := range b.held {
		b.deliver(r)
	}
	b.held, b.hold = nil, false
}

func (b *storeBroker) Read(_ context.Context, from, to uint64, topics []string) (uint64, iter.Seq2[engine.Record, error], error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.readErr != nil {
		return 0, nil, b.readErr
	}
	var oldest uint64
	var out []engine.Record
	for _, r := range b.stored {
		if r.Seq <= b.gone {
			continue
		}
		if oldest == 0 {
			oldest = r.Seq
		}
		if r.Seq >= from && r.Seq <= to && slices.Contains(topics, r.Topic) {
			out = append(out, r)
		}
	}
	return oldest, func(yield func(engine.Record, error) bool) {
		for _, r := range out {
			if !yield(r, nil) {
				return
			}
		}
	}, nil
}

func (b *storeBroker) Ready() error { return b.readyErr }
func (b *storeBroker) Close() error { return nil }

// nextEvent returns the id, or the type for an event without one, of the
// stream's next event, passing over the retry and the herald.position events,
// which only carry a position.
func (s *stream) nextEvent() string {
	s.t.Helper()
	for {
		lines := s.next()
		if _, _, ok := cutPosition(lines); ok {
			continue
		}
		if len(lines) > 0 && strings.HasPrefix(lines[0], "event: ") {
			return strings.TrimPrefix(lines[0], "event: ")
		}
		if len(lines) >= 2 && strings.HasPrefix(lines[0], "id: ") {
			return strings.TrimPrefix(lines[0], "id: ")
		}
	}
}

func publishN(t *testing.T, srv *server.Server, topic string, n int) []string {
	t.Helper()
	var ids []string
	for i := 0; i < n; i++ {
		got, err := srv.Publish(engine.Message{Topic: topic, Type: "notification", Data: []byte(`{"user":"ann","message":"m","level":"info"}`)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, got...)
	}
	return ids
}

func TestAResumeOlderThanTheHistoryIsReadFromTheBroker(t *testing.T) {
	tests := []struct {
		name     string
		gone     uint64 // events the broker no longer stores
		from     int    // index of the id resumed from
		wantGap  string // oldestId of the gap, "" for none
		wantFrom int    // index of the first id replayed
	}{
		{name: "the broker still stores everything: no gap", from: 0, wantFrom: 1},
		{name: "the broker lost events after the id: a gap, then all it stores", gone: 3, from: 0, wantGap: "4", wantFrom: 2},
		{name: "the broker lost only events up to the id: no gap", gone: 2, from: 1, wantFrom: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &storeBroker{}
			srv, ts := newTestServer(t, server.Config{Broker: b, HistoryEvents: 2})
			publishN(t, srv, "other", 1)
			ids := publishN(t, srv, "public", 6)
			b.gone = tt.gone
			h := http.Header{}
			h.Set("Last-Event-ID", ids[tt.from])
			s := openStream(t, ts, "/events?topic=public", h)
			s.startResumed()
			if tt.wantGap != "" {
				if got := s.next(); len(got) != 2 || got[0] != "event: herald.gap" || !strings.Contains(got[1], `"oldestId":"`+tt.wantGap+`"`) {
					t.Fatalf("first frame = %q, want a gap with oldestId %s", got, tt.wantGap)
				}
			}
			for _, want := range ids[tt.wantFrom:] {
				if got := s.nextEvent(); got != want {
					t.Fatalf("replayed %s, want %s (ids %v)", got, want, ids)
				}
			}
		})
	}
}

func TestAClientFromANodeAheadGetsNothingTwice(t *testing.T) {
	b := &storeBroker{}
	srv, ts := newTestServer(t, server.Config{Broker: b})
	publishN(t, srv, "public", 1)
	b.hold = true // this node lags: it has not delivered what follows
	ids := publishN(t, srv, "public", 4)
	h := http.Header{}
	h.Set("Last-Event-ID", ids[1]) // the client got up to here from another node
	s := openStream(t, ts, "/events?topic=public", h)
	s.startResumed()
	b.release()
	for _, want := range ids[2:] {
		if got := s.nextEvent(); got != want {
			t.Fatalf("got %s, want %s: the events up to %s were sent again or lost", got, want, ids[1])
		}
	}
}

func TestAResumeFromAnIDNoBrokerIssuedStartsWithAGap(t *testing.T) {
	b := &storeBroker{}
	srv, ts := newTestServer(t, server.Config{Broker: b})
	ids := publishN(t, srv, "public", 2)
	h := http.Header{}
	h.Set("Last-Event-ID", "99")
	s := openStream(t, ts, "/events?topic=public", h)
	s.startResumed()
	if got := s.nextEvent(); got != "herald.gap" {
		t.Fatalf("first event %s, want herald.gap", got)
	}
	for _, want := range ids {
		if got := s.nextEvent(); got != want {
			t.Fatalf("after the gap got %s, want %s", got, want)
		}
	}
}

func TestAnUnreachableBrokerRefusesPublishesAndReadinessWithRetryAfter(t *testing.T) {
	b := &storeBroker{}
	_, ts := newTestServer(t, server.Config{Broker: b})
	b.readyErr = fmt.Errorf("down: %w", engine.ErrUnavailable)
	b.publishErr = b.readyErr
	resp, err := http.Get(ts.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("readyz: %d with Retry-After %q, want 503 with one", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if status, out := publish(t, ts, notification("public", "x")); status != http.StatusServiceUnavailable {
		t.Errorf("publish: %d %v, want 503", status, out)
	}
	b.publishErr = fmt.Errorf("event of 2 MB: %w", engine.ErrTooLarge)
	if status, out := publish(t, ts, notification("public", "x")); status != http.StatusRequestEntityTooLarge {
		t.Errorf("publish: %d %v, want 413", status, out)
	}
}

func TestAPublishRetriedWithItsIdempotencyKeyIsStoredOnce(t *testing.T) {
	one := notification("public", "a")
	two := "[" + notification("public", "b") + "," + notification("public", "c") + "]"
	tests := []struct {
		name, body, key1, key2 string
		events                 int // events the two publishes store
	}{
		{name: "one event sent twice with one key is stored once", body: one, key1: "k1", key2: "k1", events: 1},
		{name: "a batch sent twice with one key is stored once", body: two, key1: "k2", key2: "k2", events: 2},
		{name: "one event sent with two keys is stored twice", body: one, key1: "k3", key2: "k4", events: 2},
		{name: "one event sent twice without a key is stored twice", body: one, events: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ts := newTestServer(t, server.Config{})
			s := openStream(t, ts, "/events?topic=public", nil)
			s.start()
			first := publishWithKey(t, ts, tt.body, tt.key1)
			second := publishWithKey(t, ts, tt.body, tt.key2)
			if same := first == second; same != (tt.events == strings.Count(tt.body, `"topic"`)) {
				t.Errorf("ids %s then %s: same = %v", first, second, same)
			}
			end := publishWithKey(t, ts, notification("public", "end"), "")
			var got []string
			for id := s.nextEvent(); id != end; id = s.nextEvent() {
				got = append(got, id)
			}
			if len(got) != tt.events {
				t.Errorf("stored %d events (%v), want %d", len(got), got, tt.events)
			}
		})
	}
}

func TestABadIdempotencyKeyIsRefused(t *testing.T) {
	tests := []struct{ name, key string }{
		{"a key with a space", "a b"},
		{"a key over 128 bytes", strings.Repeat("k", 129)},
		{"a key with a non-ASCII character", "clé"},
	}
	_, ts := newTestServer(t, server.Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", ts.URL+"/publish", strings.NewReader(notification("public", "x")))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Idempotency-Key", tt.key)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("status %d, want 400", resp.StatusCode)
			}
		})
	}
}

// publishWithKey publishes body with the Idempotency-Key key, if any, and
// returns the ids it got, joined by commas.
func publishWithKey(t *testing.T, ts *httptest.Server, body, key string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", ts.URL+"/publish", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		ID  string   `json:"id"`
		IDs []string `json:"ids"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("publish: status %d, %v", resp.StatusCode, err)
	}
	if out.ID != "" {
		return out.ID
	}
	return strings.Join(out.IDs, ",")
}

func TestAResumeThatCannotReadTheBrokerGetsAnEmptyStreamThatSaysWhenToComeBack(t *testing.T) {
	b := &storeBroker{}
	srv, ts := newTestServer(t, server.Config{Broker: b, HistoryEvents: 1, Retry: time.Second})
	ids := publishN(t, srv, "public", 3)
	b.readErr = fmt.Errorf("down: %w", engine.ErrUnavailable)
	req, _ := http.NewRequest("GET", ts.URL+"/events?topic=public", nil)
	req.Header.Set("Last-Event-ID", ids[0])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body) // the stream must end by itself
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "retry: ") || strings.Contains(string(body), "id:") {
		t.Errorf("got %d %q, want 200 and an empty stream with a retry", resp.StatusCode, body)
	}
}
