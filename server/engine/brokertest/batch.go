package brokertest

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/heraldhq/herald/server/engine"
)

// runBatches checks that a batch is stored all or none.
func (s Suite) runBatches(t *testing.T) {
	t.Run("a batch is stored whole, with consecutive sequence numbers", s.testBatch)
	t.Run("a batch with an event over the broker's size limit is refused whole", s.testEventTooLarge)
	t.Run("a batch of the most events the broker takes is stored, and one more is refused whole", s.testBatchTooLarge)
}

func (s Suite) testBatch(t *testing.T) {
	b := s.open(t)
	before := last(t, b)
	r := start(t, b, before)
	msgs := messages(0, 5)
	seqs := publish(t, b, msgs)
	if !consecutive(seqs) || seqs[0] <= before {
		t.Errorf("batch got sequence numbers %v after %d, want consecutive ones above it", seqs, before)
	}
	checkRecords(t, r.wait(t, len(msgs)), seqs, msgs)
}

func (s Suite) testEventTooLarge(t *testing.T) {
	if s.MaxData == 0 {
		t.Skip("the broker declares no size limit for an event (Suite.MaxData)")
	}
	huge := message(topicA, 1)
	huge.Data = []byte(`"` + strings.Repeat("x", s.MaxData-1) + `"`)
	s.checkRefused(t, []engine.Message{message(topicA, 0), huge, message(topicA, 2)})
}

func (s Suite) testBatchTooLarge(t *testing.T) {
	if s.MaxBatch == 0 {
		t.Skip("the broker declares no limit to the events of a batch (Suite.MaxBatch)")
	}
	b := s.open(t)
	if seqs := publish(t, b, messages(0, s.MaxBatch)); !consecutive(seqs) {
		t.Errorf("a batch of %d events got sequence numbers that are not consecutive: %v", s.MaxBatch, seqs)
	}
	s.checkRefusedBy(t, b, messages(s.MaxBatch, s.MaxBatch+1))
}

// checkRefused checks that a fresh broker refuses msgs whole.
func (s Suite) checkRefused(t *testing.T, msgs []engine.Message) {
	t.Helper()
	s.checkRefusedBy(t, s.open(t), msgs)
}

// checkRefusedBy checks that b refuses msgs as too large and stores none of
// them: Last stays, nothing is delivered but the next event, and, for a
// broker that stores events, Read finds none of them.
func (s Suite) checkRefusedBy(t *testing.T, b engine.Broker, msgs []engine.Message) {
	t.Helper()
	before := last(t, b)
	r := start(t, b, before)
	if seqs, err := b.Publish(bounded(t), msgs); !errors.Is(err, engine.ErrTooLarge) {
		t.Fatalf("a batch of %d events too large: %v, %v; want an error that wraps ErrTooLarge", len(msgs), seqs, err)
	}
	if got := last(t, b); got != before {
		t.Errorf("Last is %d after a refused batch, want %d as before", got, before)
	}
	next := messages(len(msgs)+1, 1)
	seqs := publish(t, b, next)
	checkRecords(t, r.wait(t, 1), seqs, next)
	if s.NoStore {
		return
	}
	stored := readAll(t, b, before+1, seqs[0], []string{topicA, topicB, topicC})
	if got := seqsOf(stored); !slices.Equal(got, seqs) {
		t.Errorf("Read after a refused batch found %v, want only the next event %v", got, seqs)
	}
}
