package engine

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
)

// BenchmarkPublish measures one publish to a topic with n subscribers, each
// drained by a goroutine of its own as a stream's writer would. Allocations
// per publish must not grow with n.
func BenchmarkPublish(b *testing.B) {
	for _, n := range []int{10, 1_000, 10_000} {
		b.Run(fmt.Sprintf("subscribers=%d", n), func(b *testing.B) {
			h, err := New(NewMemoryBroker(), withTestDefaults(Config{QueueEvents: 1 << 20, QueueBytes: 1 << 30}))
			if err != nil {
				b.Fatal(err)
			}
			stop := drainSubscribers(b, h, n)
			defer stop()
			msg := []Message{{Topic: "public", Type: "notification", Data: []byte(`{"user":"ann","message":"hello","level":"info"}`)}}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := h.Publish(context.Background(), msg); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/delivery")
		})
	}
}

// drainSubscribers subscribes n subscribers to "public" and empties their
// queues as frames arrive, in as many goroutines as GOMAXPROCS, as the
// writer pool would, until the returned stop is called.
func drainSubscribers(b *testing.B, h *Hub, n int) (stop func()) {
	ready := make(chan *Subscriber, n)
	subs := make([]*Subscriber, n)
	for i := range subs {
		sn, err := h.Subscribe(context.Background(), []string{"public"}, false, "")
		if err != nil {
			b.Fatal(err)
		}
		sub := sn.Subscriber
		sub.Live(func() { ready <- sub })
		ready <- sub
		subs[i] = sub
	}
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var spare []*Frame
			for sub := range ready {
				for {
					w, ok := sub.Take(spare)
					if !ok {
						break
					}
					if w.Overflowed {
						b.Error("a subscriber overflowed")
					}
					clear(w.Frames)
					spare = w.Frames[:0]
				}
			}
		})
	}
	return func() {
		for _, sub := range subs {
			h.Unsubscribe(sub)
		}
		close(ready)
		wg.Wait()
	}
}
