package brokertest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldhq/herald/server/engine"
)

// recorder keeps the records a broker delivers to it, and notes whether two
// deliveries ever overlapped. Its deliver never blocks: a broker may call it
// while it holds its own locks.
type recorder struct {
	mu      sync.Mutex
	got     []engine.Record
	more    chan struct{} // signalled after each delivery
	active  atomic.Int32
	overlap atomic.Bool
}

// start starts b's deliveries after sequence number after into a new
// recorder.
func start(t *testing.T, b engine.Broker, after uint64) *recorder {
	t.Helper()
	r := &recorder{more: make(chan struct{}, 1)}
	if err := b.Start(after, r.deliver); err != nil {
		t.Fatalf("start the deliveries after %d: %v", after, err)
	}
	return r
}

func (r *recorder) deliver(rec engine.Record) {
	if r.active.Add(1) > 1 {
		r.overlap.Store(true)
	}
	defer r.active.Add(-1)
	r.mu.Lock()
	r.got = append(r.got, rec)
	r.mu.Unlock()
	select {
	case r.more <- struct{}{}:
	default:
	}
}

// records returns a copy of what was delivered so far.
func (r *recorder) records() []engine.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]engine.Record(nil), r.got...)
}

// wait returns the records delivered once there are n, failing the test if
// there are still fewer after waitLimit. It then waits quietTime more and
// returns every record delivered, so that the caller sees any extra one.
func (r *recorder) wait(t *testing.T, n int) []engine.Record {
	t.Helper()
	deadline := time.After(waitLimit)
	for len(r.records()) < n {
		select {
		case <-r.more:
		case <-deadline:
			t.Fatalf("%d of %d events delivered after %v: %v", len(r.records()), n, waitLimit, seqsOf(r.records()))
		}
	}
	time.Sleep(quietTime)
	got := r.records()
	if r.overlap.Load() {
		t.Error("deliver was called from two goroutines at once")
	}
	return got
}
