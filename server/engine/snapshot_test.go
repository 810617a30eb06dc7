package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// seqs returns the ids of frames.
func seqs(frames []*Frame) []string {
	var ids []string
	for _, f := range frames {
		ids = append(ids, FormatID(f.Seq()))
	}
	return ids
}

func TestASnapshotHoldsTheHistoryOfItsTopicsAndTheIdTheyEndAt(t *testing.T) {
	h := newTestHub(t, Config{HistoryEvents: 10})
	defer h.Close()
	metrics := publishTo(t, h, "metrics", 2)  // 1, 2
	alice := publishTo(t, h, "user/alice", 1) // 3
	publishTo(t, h, "user/bob", 1)            // 4: same class as alice, another topic
	logs := publishTo(t, h, "logs", 12)       // the history keeps the last 10
	newest := publishTo(t, h, "other", 1)[0]  // 10
	const big = 1 << 20
	cases := []struct {
		name            string
		topics          []string
		maxEvents, maxB int
		wantIDs         []string
		wantSince       string
		wantComplete    bool
	}{
		{"a topic the history holds whole", []string{"metrics"}, 100, big, metrics, "", true},
		{"a user's topic without the other users' of its class", []string{"user/alice"}, 100, big, alice, "", true},
		{"two topics, in the order they were published", []string{"user/alice", "metrics"}, 100, big, []string{metrics[0], metrics[1], alice[0]}, "", true},
		{"a topic the history trimmed says since when it is whole", []string{"logs"}, 100, big, logs[2:], logs[1], false},
		{"the event bound keeps the newest", []string{"metrics", "user/alice"}, 2, big, []string{metrics[1], alice[0]}, metrics[0], false},
		{"the byte bound keeps the newest that fit", []string{"metrics"}, 100, 50, metrics[1:], metrics[0], false},
		{"the event bound over two rings leaves out the newest of either", []string{"metrics", "logs"}, 3, big, logs[9:], logs[8], false},
		{"a bound of zero keeps nothing", []string{"metrics"}, 0, big, nil, metrics[1], false},
		{"a topic never published is empty and whole", []string{"quiet"}, 100, big, nil, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := h.Snapshot(c.topics, c.maxEvents, c.maxB)
			if err != nil {
				t.Fatal(err)
			}
			if got := seqs(s.Frames); fmt.Sprint(got) != fmt.Sprint(c.wantIDs) {
				t.Errorf("frames %v, want %v", got, c.wantIDs)
			}
			if s.ID != newest {
				t.Errorf("id %q, want %q: the last event delivered, of any topic", s.ID, newest)
			}
			if s.Since != c.wantSince || s.Complete() != c.wantComplete {
				t.Errorf("since %q complete %v, want %q %v", s.Since, s.Complete(), c.wantSince, c.wantComplete)
			}
		})
	}
}

func TestAFrameGivesBackTheEventItCarries(t *testing.T) {
	cases := []struct{ name, data, want string }{
		{"one line of JSON", `{"text":"a"}`, `{"text":"a"}`},
		{"lines, as a client joins them", "a\nb\r\nc\rd", "a\nb\nc\nd"},
		{"a colon and spaces kept", "key: value ", "key: value "},
		{"no data", "", ""},
	}
	h := newTestHub(t, Config{})
	defer h.Close()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ids, err := h.Publish(context.Background(), []Message{{Topic: c.name, Type: "log", Data: []byte(c.data)}})
			if err != nil {
				t.Fatal(err)
			}
			s, err := h.Snapshot([]string{c.name}, 10, 1<<20)
			if err != nil || len(s.Frames) != 1 {
				t.Fatalf("snapshot %+v, %v; want one frame", s, err)
			}
			e, err := s.Frames[0].Event()
			if err != nil || e.ID != ids[0] || e.Type != "log" || e.Data != c.want {
				t.Errorf("event %+v, %v; want id %s, type log, data %q", e, err, ids[0], c.want)
			}
		})
	}
}

func TestASnapshotOfAClosedHubFails(t *testing.T) {
	h := newTestHub(t, Config{})
	h.Close()
	if _, err := h.Snapshot([]string{"logs"}, 10, 1<<20); !errors.Is(err, ErrClosed) {
		t.Errorf("error %v, want ErrClosed", err)
	}
}

// While events are published without pause, every snapshot ends at its id
// and a stream resumed from that id begins with the very next event: the
// state and the stream meet with nothing lost and nothing twice.
func TestASnapshotTakenWhilePublishingMeetsTheStreamResumedFromItsId(t *testing.T) {
	h := newTestHub(t, Config{HistoryEvents: 1 << 16})
	defer h.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	const publishers, each = 4, 500
	for range publishers {
		wg.Go(func() {
			for range each {
				if _, err := h.Publish(ctx, []Message{{Topic: "logs", Type: "log", Data: []byte(`{}`)}}); err != nil {
					return // the test is over
				}
			}
		})
	}
	var err error
	for i := 0; i < 200 && err == nil && ctx.Err() == nil && h.Published() < publishers*each; i++ {
		err = checkHandOver(ctx, h)
	}
	cancel()
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
}

// checkHandOver takes a snapshot of logs, the only topic published, and
// checks that it holds every event up to its id and that the stream resumed
// from its id starts right after it.
func checkHandOver(ctx context.Context, h *Hub) error {
	s, err := h.Snapshot([]string{"logs"}, 1<<20, 1<<30)
	if err != nil {
		return err
	}
	id, _ := ParseID(s.ID)
	if err := contiguousTo(s.Frames, id); err != nil || !s.Complete() {
		return fmt.Errorf("snapshot at %s, since %q: %v", s.ID, s.Since, err)
	}
	sub, err := h.Subscribe(ctx, []string{"logs"}, true, s.ID)
	if err != nil {
		return err
	}
	defer h.Unsubscribe(sub.Subscriber)
	sub.Subscriber.Live(func() {}) // firstAfter takes what comes
	if first := firstAfter(ctx, sub); first != 0 && first != id+1 {
		return fmt.Errorf("stream resumed from %d begins with %d, want %d", id, first, id+1)
	}
	return nil
}

// contiguousTo reports frames whose seqs do not follow one another up to
// last.
func contiguousTo(frames []*Frame, last uint64) error {
	for i, f := range frames {
		if i > 0 && f.Seq() != frames[i-1].Seq()+1 {
			return fmt.Errorf("frame %d follows %d", f.Seq(), frames[i-1].Seq())
		}
	}
	if len(frames) > 0 && frames[len(frames)-1].Seq() != last {
		return fmt.Errorf("the last frame is %d, not the id", frames[len(frames)-1].Seq())
	}
	return nil
}

// firstAfter returns the seq of the first event a resumed subscription
// gets, replayed or live, or 0 if none comes before publishing ends.
func firstAfter(ctx context.Context, sub *Subscription) uint64 {
	for f, err := range sub.Replay() {
		if err == nil {
			return f.Seq()
		}
	}
	for i := 0; i < 100 && ctx.Err() == nil; i++ {
		if w, ok := sub.Subscriber.Take(nil); ok && len(w.Frames) > 0 {
			return w.Frames[0].Seq()
		}
		time.Sleep(time.Millisecond)
	}
	return 0
}
