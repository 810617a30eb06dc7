package server

import (
	"context"
	"sync/atomic"
	"testing"

	demo "github.com/heraldhq/herald/app/events"
)

func newTestHub(t *testing.T, c Config) *hub {
	t.Helper()
	c.Schema = demo.Schema
	c, err := c.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	h, err := newHub(c, newMemoryBroker(), new(atomic.Uint64))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

var probe = []Message{{Topic: "public", Type: "probe", Data: []byte(`{"t":1,"s":2,"pad":""}`)}}

// Stuck subscribers, which never take their frames, count at most paceCap
// frames each, none once overflowed, and publishing goes on: the waits end
// when nothing is taken.
func TestStuckSubscribersNeitherHoldPublishersNorTheBacklog(t *testing.T) {
	const stuck = 200
	h := newTestHub(t, Config{QueueEvents: 2 * paceCap})
	var subs []*subscriber
	for range stuck {
		sn, err := h.subscribe([]string{"public"}, false, "")
		if err != nil {
			t.Fatal(err)
		}
		subs = append(subs, sn.sub)
	}
	for i := 0; i < 2*paceCap; i++ {
		if _, err := h.publish(context.Background(), probe); err != nil {
			t.Fatal(err)
		}
		if got, want := h.pacer.backlog.Load(), int64(stuck*min(i+1, paceCap)); got != want {
			t.Fatalf("after %d publishes the backlog is %d, want %d", i+1, got, want)
		}
	}
	if _, err := h.publish(context.Background(), probe); err != nil {
		t.Fatal(err)
	}
	if got := h.pacer.backlog.Load(); got != 0 {
		t.Errorf("with every subscriber overflowed the backlog is %d, want 0", got)
	}
	for _, sub := range subs {
		h.unsubscribe(sub)
	}
	if got := h.pacer.backlog.Load(); got != 0 {
		t.Errorf("with no subscriber the backlog is %d, want 0", got)
	}
}

// What the writers take leaves the backlog, and what an unsubscribed
// subscriber held too.
func TestTheBacklogCountsWhatWaitsInTheQueues(t *testing.T) {
	h := newTestHub(t, Config{})
	a, _ := h.subscribe([]string{"public"}, false, "")
	b, _ := h.subscribe([]string{"public"}, false, "")
	for range 3 {
		if _, err := h.publish(context.Background(), probe); err != nil {
			t.Fatal(err)
		}
	}
	if got := h.pacer.backlog.Load(); got != 6 {
		t.Fatalf("backlog = %d after 3 events to 2 subscribers, want 6", got)
	}
	w, ok := a.sub.take(nil)
	if !ok || len(w.frames) != 3 {
		t.Fatalf("took %d frames, want 3", len(w.frames))
	}
	h.pacer.remove(w.paced())
	if got := h.pacer.backlog.Load(); got != 3 {
		t.Errorf("backlog = %d once one subscriber took its frames, want 3", got)
	}
	h.unsubscribe(b.sub)
	if got := h.pacer.backlog.Load(); got != 0 {
		t.Errorf("backlog = %d once the other left, want 0", got)
	}
}
