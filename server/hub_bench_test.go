package server

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	demo "github.com/heraldhq/herald/app/events"
)

// BenchmarkPublish measures one publish to a topic with n subscribers, each
// drained by a goroutine of its own as a stream's writer would. Allocations
// per publish must not grow with n.
func BenchmarkPublish(b *testing.B) {
	for _, n := range []int{10, 1_000, 10_000} {
		b.Run(fmt.Sprintf("subscribers=%d", n), func(b *testing.B) {
			h, err := newHub(benchConfig(b), newMemoryBroker(), new(atomic.Uint64))
			if err != nil {
				b.Fatal(err)
			}
			stop := drainSubscribers(b, h, n)
			defer stop()
			msg := []Message{{Topic: "public", Type: "notification", Data: []byte(`{"user":"ann","message":"hello","level":"info"}`)}}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := h.publish(context.Background(), msg); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/delivery")
		})
	}
}

func benchConfig(b *testing.B) Config {
	c, err := Config{Schema: demo.Schema, QueueEvents: 1 << 20, QueueBytes: 1 << 30}.withDefaults()
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// drainSubscribers subscribes n subscribers to "public" and empties their
// queues as frames arrive, in as many goroutines as GOMAXPROCS, as the
// writer pool would, until the returned stop is called.
func drainSubscribers(b *testing.B, h *hub, n int) (stop func()) {
	ready := make(chan *subscriber, n)
	subs := make([]*subscriber, n)
	for i := range subs {
		sn, err := h.subscribe([]string{"public"}, false, "")
		if err != nil {
			b.Fatal(err)
		}
		sub := sn.sub
		sub.live(func() { ready <- sub })
		ready <- sub
		subs[i] = sub
	}
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var spare []*frame
			for sub := range ready {
				for {
					w, ok := sub.take(spare)
					if !ok {
						break
					}
					if w.overflowed {
						b.Error("a subscriber overflowed")
					}
					h.pacer.remove(w.paced())
					clear(w.frames)
					spare = w.frames[:0]
				}
			}
		})
	}
	return func() {
		for _, sub := range subs {
			h.unsubscribe(sub)
		}
		close(ready)
		wg.Wait()
	}
}
