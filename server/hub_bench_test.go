package server

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/heraldhq/herald/shared"
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
	c, err := Config{Schema: shared.Demo, QueueEvents: 1 << 20, QueueBytes: 1 << 30}.withDefaults()
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// drainSubscribers subscribes n subscribers to "public" and empties their
// queues as frames arrive, until the returned stop is called.
func drainSubscribers(b *testing.B, h *hub, n int) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		sn, err := h.subscribe([]string{"public"}, false, "")
		if err != nil {
			b.Fatal(err)
		}
		wg.Add(1)
		go func(sub *subscriber) {
			defer wg.Done()
			var spare []*frame
			for {
				select {
				case <-done:
					return
				case <-sub.wake:
					frames, overflowed := sub.take(spare)
					if overflowed {
						b.Error("a subscriber overflowed")
						return
					}
					clear(frames)
					spare = frames[:0]
				}
			}
		}(sn.sub)
	}
	return func() { close(done); wg.Wait() }
}
