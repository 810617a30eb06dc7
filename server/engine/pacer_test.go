package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

func newTestHub(t *testing.T, c Config) *Hub {
	t.Helper()
	h, err := New(NewMemoryBroker(), withTestDefaults(c))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// withTestDefaults returns c with its zero bounds set to those of a Server's
// defaults.
func withTestDefaults(c Config) Config {
	if c.QueueEvents == 0 {
		c.QueueEvents = 1024
	}
	if c.QueueBytes == 0 {
		c.QueueBytes = 1 << 20
	}
	if c.HistoryEvents == 0 {
		c.HistoryEvents = 100_000
	}
	if c.HistoryBytes == 0 {
		c.HistoryBytes = 64 << 20
	}
	if c.HistoryAge == 0 {
		c.HistoryAge = time.Hour
	}
	return c
}

var probe = []Message{{Topic: "public", Type: "probe", Data: []byte(`{"t":1,"s":2,"pad":""}`)}}

// Stuck subscribers, which never take their frames, count at most paceCap
// frames each, none once overflowed, and publishing goes on: the waits end
// when nothing is taken.
func TestStuckSubscribersNeitherHoldPublishersNorTheBacklog(t *testing.T) {
	const stuck = 200
	h := newTestHub(t, Config{QueueEvents: 2 * paceCap})
	var subs []*Subscriber
	for range stuck {
		sn, err := h.Subscribe(context.Background(), []string{"public"}, false, "")
		if err != nil {
			t.Fatal(err)
		}
		subs = append(subs, sn.Subscriber)
	}
	for i := 0; i < 2*paceCap; i++ {
		if _, err := h.Publish(context.Background(), probe); err != nil {
			t.Fatal(err)
		}
		if got, want := h.pacer.backlog.Load(), int64(stuck*min(i+1, paceCap)); got != want {
			t.Fatalf("after %d publishes the backlog is %d, want %d", i+1, got, want)
		}
	}
	if _, err := h.Publish(context.Background(), probe); err != nil {
		t.Fatal(err)
	}
	if got := h.pacer.backlog.Load(); got != 0 {
		t.Errorf("with every subscriber overflowed the backlog is %d, want 0", got)
	}
	for _, sub := range subs {
		h.Unsubscribe(sub)
	}
	if got := h.pacer.backlog.Load(); got != 0 {
		t.Errorf("with no subscriber the backlog is %d, want 0", got)
	}
}

// What the writers take leaves the backlog, and what an unsubscribed
// subscriber held too.
func TestTheBacklogCountsWhatWaitsInTheQueues(t *testing.T) {
	h := newTestHub(t, Config{})
	a, _ := h.Subscribe(context.Background(), []string{"public"}, false, "")
	b, _ := h.Subscribe(context.Background(), []string{"public"}, false, "")
	for range 3 {
		if _, err := h.Publish(context.Background(), probe); err != nil {
			t.Fatal(err)
		}
	}
	if got := h.pacer.backlog.Load(); got != 6 {
		t.Fatalf("backlog = %d after 3 events to 2 subscribers, want 6", got)
	}
	w, ok := a.Subscriber.Take(nil)
	if !ok || len(w.Frames) != 3 {
		t.Fatalf("took %d frames, want 3", len(w.Frames))
	}
	if got := h.pacer.backlog.Load(); got != 3 {
		t.Errorf("backlog = %d once one subscriber took its frames, want 3", got)
	}
	h.Unsubscribe(b.Subscriber)
	if got := h.pacer.backlog.Load(); got != 0 {
		t.Errorf("backlog = %d once the other left, want 0", got)
	}
}

// Large events are paced by the bytes they take in the queues, well before
// their number would be: an event of a third of a queue to a subscriber
// that takes nothing puts the backlog over its limit (an eighth of a queue
// per subscriber); the subscriber counts at most half its queue; the
// writer's take, or the subscriber's end, takes the bytes out again.
func TestTheBacklogCountsTheBytesOfLargeEvents(t *testing.T) {
	const queue = 1 << 20
	h := newTestHub(t, Config{QueueBytes: queue})
	s, err := h.Subscribe(context.Background(), []string{"public"}, false, "")
	if err != nil {
		t.Fatal(err)
	}
	big := []Message{{Topic: "public", Type: "probe", Data: []byte(`"` + strings.Repeat("x", queue/3) + `"`)}}
	for i := range 2 {
		if _, err := h.Publish(context.Background(), big); err != nil {
			t.Fatal(err)
		}
		if h.pacer.short() {
			t.Fatalf("after %d events of %d bytes (frames %d, under their limit), the backlog of %d bytes is short", i+1, queue/3, h.pacer.backlog.Load(), h.pacer.backlogBytes.Load())
		}
	}
	if got := h.pacer.backlogBytes.Load(); got != queue/2 {
		t.Errorf("backlog bytes = %d for one subscriber, want at most half its queue, %d", got, queue/2)
	}
	if _, ok := s.Subscriber.Take(nil); !ok || h.pacer.backlogBytes.Load() != 0 || !h.pacer.short() {
		t.Errorf("after the take: backlog bytes %d, short() %v; want 0 and true", h.pacer.backlogBytes.Load(), h.pacer.short())
	}
	if _, err := h.Publish(context.Background(), big); err != nil {
		t.Fatal(err)
	}
	h.Unsubscribe(s.Subscriber)
	if got := h.pacer.backlogBytes.Load(); got != 0 {
		t.Errorf("backlog bytes = %d once the subscriber left, want 0", got)
	}
}
