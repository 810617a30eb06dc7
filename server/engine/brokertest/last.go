package brokertest

import (
	"testing"
	"time"

	"github.com/heraldhq/herald/server/engine"
)

// runLast checks that Last follows the sequence numbers issued.
func (s Suite) runLast(t *testing.T) {
	t.Run("Last equals the highest sequence number issued", s.testLastIsHighest)
	t.Run("Last never goes down while events are published", s.testLastMonotonic)
}

func (s Suite) testLastIsHighest(t *testing.T) {
	b := s.open(t)
	highest := last(t, b)
	tests := []struct {
		name  string
		msgs  []engine.Message
		again bool // the messages were stored before: Last stays
	}{
		{"after one event", messages(0, 1), false},
		{"after a batch", messages(1, 3), false},
		{"after a keyed event", []engine.Message{keyed(topicA, 4, "last")}, false},
		{"after the same keyed event again", []engine.Message{keyed(topicA, 4, "last")}, true},
	}
	for _, tt := range tests {
		before := highest
		for _, seq := range publish(t, b, tt.msgs) {
			if stored := seq <= before; stored != tt.again {
				t.Errorf("%s: sequence number %d after %d: stored before = %v, want %v", tt.name, seq, before, stored, tt.again)
			}
			highest = max(highest, seq)
		}
		if got := last(t, b); got != highest {
			t.Errorf("%s: Last is %d, want %d", tt.name, got, highest)
		}
	}
}

func (s Suite) testLastMonotonic(t *testing.T) {
	const events = 50
	b := s.open(t)
	done := make(chan []uint64, 1) // the publisher never waits for a test that failed
	go func() {
		var seqs []uint64
		defer func() { done <- seqs }()
		for i := range events {
			got, err := b.Publish(bounded(t), messages(i, 1))
			if err != nil {
				t.Errorf("publish event %d: %v", i, err)
				return
			}
			seqs = append(seqs, got...)
		}
	}()
	prev := last(t, b)
	deadline := time.Now().Add(waitLimit)
	for calls := 0; ; calls++ {
		if time.Now().After(deadline) {
			t.Fatalf("the %d publishes took over %v", events, waitLimit)
		}
		select {
		case seqs := <-done:
			if final := last(t, b); len(seqs) == events && final != seqs[events-1] {
				t.Errorf("Last is %d after the publishes, want the last one's %d", final, seqs[events-1])
			}
			return
		default:
		}
		got, err := b.Last(bounded(t))
		if err != nil {
			t.Fatalf("last, call %d: %v", calls, err)
		}
		if got < prev {
			t.Fatalf("Last went down from %d to %d", prev, got)
		}
		prev = got
	}
}
