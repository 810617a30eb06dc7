package brokertest

import (
	"slices"
	"sync"
	"testing"

	"github.com/heraldhq/herald/server/engine"
)

// runDelivery checks Start and Close: what is delivered, in which order,
// from when, until when.
func (s Suite) runDelivery(t *testing.T) {
	t.Run("events published from one goroutine are delivered in order, each once, with increasing sequence numbers", s.testInOrder)
	t.Run("events published from several goroutines are each delivered once, in the order of their sequence numbers", s.testConcurrentPublishers)
	t.Run("Start delivers only the events after the sequence number it is given", s.testStartAfter)
	t.Run("Start ahead of the last sequence number delivers nothing up to it", s.testStartAhead)
	t.Run("Close stops the deliveries", s.testClose)
}

func (s Suite) testInOrder(t *testing.T) {
	b := s.open(t)
	r := start(t, b, last(t, b))
	var seqs []uint64
	var msgs []engine.Message
	for i := 0; i < 30; i++ {
		batch := messages(i*3, 1+i%3) // batches of one, two and three events
		seqs = append(seqs, publish(t, b, batch)...)
		msgs = append(msgs, batch...)
	}
	if !increasing(seqs) {
		t.Errorf("Publish returned sequence numbers that do not increase: %v", seqs)
	}
	checkRecords(t, r.wait(t, len(msgs)), seqs, msgs)
}

func (s Suite) testConcurrentPublishers(t *testing.T) {
	const publishers, each = 4, 25
	b := s.open(t)
	r := start(t, b, last(t, b))
	seqs := make([][]uint64, publishers)
	errs := make([]error, publishers)
	var wg sync.WaitGroup
	for p := range publishers {
		wg.Go(func() {
			for i := range each {
				got, err := b.Publish(bounded(t), []engine.Message{message(topicA, p*each+i)})
				if err != nil {
					errs[p] = err
					return
				}
				seqs[p] = append(seqs[p], got...)
			}
		})
	}
	wg.Wait()
	for p, err := range errs {
		if err != nil {
			t.Fatalf("publisher %d: %v", p, err)
		}
	}
	want := slices.Sorted(slices.Values(slices.Concat(seqs...)))
	if len(slices.Compact(slices.Clone(want))) != len(want) {
		t.Fatalf("Publish returned one sequence number twice: %v", want)
	}
	got := seqsOf(r.wait(t, len(want)))
	if !slices.Equal(got, want) {
		t.Errorf("delivered %v, want the sequence numbers Publish returned, in order: %v", got, want)
	}
}

func (s Suite) testStartAfter(t *testing.T) {
	b := s.open(t)
	before := messages(0, 5)
	seqs := publish(t, b, before)
	r := start(t, b, seqs[1])
	after := messages(5, 2)
	more := publish(t, b, after)
	if s.NoStore {
		checkRecords(t, r.wait(t, len(after)), more, after)
		return
	}
	checkRecords(t, r.wait(t, 5), append(seqs[2:], more...), append(before[2:], after...))
}

func (s Suite) testStartAhead(t *testing.T) {
	b := s.open(t)
	after := last(t, b) + 2
	r := start(t, b, after)
	var wantSeqs []uint64
	var want []engine.Message
	for i := range 4 {
		m := message(topicA, i)
		seq := publish(t, b, []engine.Message{m})[0]
		if seq > after {
			wantSeqs, want = append(wantSeqs, seq), append(want, m)
		}
	}
	checkRecords(t, r.wait(t, len(want)), wantSeqs, want)
}

func (s Suite) testClose(t *testing.T) {
	b := s.Open(t)
	closed := false
	t.Cleanup(func() {
		if !closed {
			_ = b.Close()
		}
	})
	r := start(t, b, last(t, b))
	seqs := publish(t, b, messages(0, 1))
	r.wait(t, 1)
	closed = true
	if err := b.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	_, _ = b.Publish(bounded(t), messages(1, 1)) // a closed broker may refuse it
	if got := r.wait(t, 1); len(got) != 1 {
		t.Errorf("delivered %v after Close, want only %v from before", seqsOf(got), seqs)
	}
}

// increasing reports whether every one of seqs is higher than the one before.
func increasing(seqs []uint64) bool {
	for i := 1; i < len(seqs); i++ {
		if seqs[i] <= seqs[i-1] {
			return false
		}
	}
	return true
}
