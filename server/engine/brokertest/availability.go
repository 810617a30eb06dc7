package brokertest

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/heraldhq/herald/server/engine"
)

// runAvailability checks Ready and the errors of an unreachable broker.
func (s Suite) runAvailability(t *testing.T) {
	t.Run("Ready is nil while the broker is reachable", s.testReady)
	t.Run("the errors of an unreachable broker wrap ErrUnavailable", s.testUnavailable)
	t.Run("ranging over Read stops at the first error", s.testReadStopsAtError)
}

func (s Suite) testReady(t *testing.T) {
	b := s.open(t)
	if err := b.Ready(); err != nil {
		t.Errorf("a broker just opened: Ready is %v", err)
	}
	publish(t, b, messages(0, 3))
	if err := b.Ready(); err != nil {
		t.Errorf("a broker that just stored events: Ready is %v", err)
	}
}

func (s Suite) testUnavailable(t *testing.T) {
	b := s.openForOutage(t)
	r := start(t, b, last(t, b))
	seqs := publish(t, b, messages(0, 1))
	r.wait(t, 1)
	s.Outage(t, b)
	waitUnready(t, b)
	if _, err := b.Publish(bounded(t), messages(1, 1)); !errors.Is(err, engine.ErrUnavailable) {
		t.Errorf("Publish: %v, want an error that wraps ErrUnavailable", err)
	}
	if _, err := b.Last(bounded(t)); !errors.Is(err, engine.ErrUnavailable) {
		t.Errorf("Last: %v, want an error that wraps ErrUnavailable", err)
	}
	if err := readErr(t, b); !errors.Is(err, engine.ErrUnavailable) {
		t.Errorf("Read: %v, want an error that wraps ErrUnavailable", err)
	}
	if got := r.records(); len(got) != 1 {
		t.Errorf("delivered %v, want only %v, from before the outage", seqsOf(got), seqs)
	}
}

func (s Suite) testReadStopsAtError(t *testing.T) {
	b := s.openForOutage(t)
	publish(t, b, messages(0, 5))
	_, events, err := b.Read(bounded(t), 0, math.MaxUint64, allTopics)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	s.Outage(t, b)
	waitUnready(t, b)
	var failed error
	after := 0 // yields after the first error
	for _, err := range events {
		switch {
		case failed != nil:
			after++
		case err != nil:
			failed = err
		}
	}
	if after > 0 {
		t.Errorf("Read yielded %d more times after the error %v", after, failed)
	}
}

// openForOutage opens a broker for a case that needs an outage, or skips the
// case when the broker declares it cannot have one.
func (s Suite) openForOutage(t *testing.T) engine.Broker {
	t.Helper()
	if s.Outage == nil {
		t.Skip("the broker declares that it cannot be unreachable (Suite.Outage)")
	}
	return s.open(t)
}

// waitUnready waits until b.Ready reports an error that wraps
// ErrUnavailable, for at most waitLimit.
func waitUnready(t *testing.T, b engine.Broker) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		err := b.Ready()
		if errors.Is(err, engine.ErrUnavailable) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Ready is %v %v after the outage, want an error that wraps ErrUnavailable", err, waitLimit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// readErr returns the error of a Read of everything on b, or else the first
// error its events yield.
func readErr(t *testing.T, b engine.Broker) error {
	_, events, err := b.Read(bounded(t), 0, math.MaxUint64, allTopics)
	if err != nil {
		return err
	}
	for _, err := range events {
		if err != nil {
			return err
		}
	}
	return nil
}
