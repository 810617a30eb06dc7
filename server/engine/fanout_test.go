package engine

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

// Publishers on several goroutines, writers on as many goroutines as Ps,
// and subscribers of one topic or of two: each subscriber takes every event
// of its topics exactly once, in the order of their ids, although writers
// start once the hub's lock is released.
func TestEverySubscriberTakesEveryEventOnceInIDOrder(t *testing.T) {
	for _, procs := range []int{1, 2, 8} {
		t.Run(fmt.Sprintf("GOMAXPROCS %d", procs), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			checkFanOutOrder(t, 200, 4, 500)
		})
	}
}

// checkFanOutOrder subscribes subs subscribers, half to "a", half to "a"
// and "b", publishes events to each topic from each of publishers
// goroutines, and fails t unless every subscriber took the events of its
// topics once each, ids increasing.
func checkFanOutOrder(t *testing.T, subs, publishers, events int) {
	h, err := New(NewMemoryBroker(), withTestDefaults(Config{QueueEvents: 1 << 16, QueueBytes: 1 << 26}))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ready := make(chan *Subscriber, subs)
	taken := make([][]uint64, subs)
	index := map[*Subscriber]int{}
	for i := range subs {
		topics := []string{"a"}
		if i%2 == 1 {
			topics = append(topics, "b")
		}
		sn, err := h.Subscribe(context.Background(), topics, false, "")
		if err != nil {
			t.Fatal(err)
		}
		sub := sn.Subscriber
		index[sub] = i
		sub.Live(func() { ready <- sub })
		ready <- sub
	}
	var writers sync.WaitGroup
	var mu sync.Mutex
	for range runtime.GOMAXPROCS(0) {
		writers.Go(func() {
			var spare []*Frame
			for sub := range ready {
				for w, ok := sub.Take(spare); ok; w, ok = sub.Take(spare) {
					if w.Overflowed {
						t.Error("a subscriber overflowed")
					}
					mu.Lock()
					for _, f := range w.Frames {
						taken[index[sub]] = append(taken[index[sub]], f.Seq())
					}
					mu.Unlock()
					clear(w.Frames)
					spare = w.Frames[:0]
				}
			}
		})
	}
	var pubs sync.WaitGroup
	for p := range publishers {
		pubs.Go(func() {
			for i := range events {
				topic := []string{"a", "b"}[(p+i)%2]
				msg := []Message{{Topic: topic, Type: "probe", Data: []byte(`{"t":1}`)}}
				if _, err := h.Publish(context.Background(), msg); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	pubs.Wait()
	perTopic := publishers * events / 2
	total := subs / 2 * 3 * perTopic
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		mu.Lock()
		n := 0
		for _, seqs := range taken {
			n += len(seqs)
		}
		mu.Unlock()
		if n >= total {
			break
		}
	}
	for sub := range index {
		h.Unsubscribe(sub)
	}
	close(ready)
	writers.Wait()
	for i, seqs := range taken {
		want := perTopic
		if i%2 == 1 {
			want = 2 * perTopic
		}
		if len(seqs) != want {
			t.Fatalf("subscriber %d took %d events, want %d", i, len(seqs), want)
		}
		for j := 1; j < len(seqs); j++ {
			if seqs[j] <= seqs[j-1] {
				t.Fatalf("subscriber %d took event %d after %d", i, seqs[j], seqs[j-1])
			}
		}
	}
}
