package brokertest

import (
	"context"
	"testing"
	"time"

	"github.com/heraldhq/herald/server/engine"
)

// waitLimit bounds every wait of the suite: for a delivery, for a call to the
// broker, for the broker to notice an outage.
const waitLimit = 10 * time.Second

// quietTime is how long the suite waits to be sure that nothing more is
// delivered.
const quietTime = 300 * time.Millisecond

// Run runs the suite on the brokers open returns, one fresh, empty broker per
// subtest, which the suite closes when the subtest ends. It expects a broker
// that stores its events, with no size limit, a dedupe window of at least a
// minute and no way to make it unreachable: the cases that need a limit, a
// short window or an outage are skipped. Declare those with Suite.
func Run(t *testing.T, open func(t *testing.T) engine.Broker) {
	Suite{Open: open}.Run(t)
}

// Suite is the conformance suite with what a broker declares about itself.
// Zero fields declare nothing and skip the cases that need them.
type Suite struct {
	// Open returns a fresh broker that has stored nothing yet, and undoes
	// with t.Cleanup whatever it set up besides the broker. Required.
	Open func(t *testing.T) engine.Broker

	// NoStore declares a broker that stores no events, as the in-memory
	// one: its Read reports no oldest event and finds none, and its Start
	// delivers only the events published after it.
	NoStore bool

	// MaxBatch is the most messages the broker takes in one batch, and
	// MaxData the most bytes of one message's Data: the suite expects a
	// batch over either to be refused whole, with an error that wraps
	// engine.ErrTooLarge. Zero declares no such limit.
	MaxBatch int
	MaxData  int

	// DedupeWindow is how long the brokers Open returns remember a Key. The
	// case of a key stored again once the window is over runs when it is
	// at least a millisecond and at most MaxDedupeWindow.
	DedupeWindow time.Duration

	// Outage makes b, one of the brokers Open returned, unreachable for
	// the rest of the subtest, as its backend being down would. Nil
	// declares a broker that cannot be unreachable, as the in-memory one.
	Outage func(t *testing.T, b engine.Broker)
}

// MaxDedupeWindow is the longest dedupe window the suite waits for.
const MaxDedupeWindow = 5 * time.Second

// Run runs the suite's subtests, each on a broker of its own.
func (s Suite) Run(t *testing.T) {
	t.Helper()
	if s.Open == nil {
		t.Fatal("brokertest: Suite.Open is nil")
	}
	s.runDelivery(t)
	s.runBatches(t)
	s.runDedupe(t)
	s.runRead(t)
	s.runLast(t)
	s.runAvailability(t)
}

// open returns a broker from s.Open, closed when the test ends.
func (s Suite) open(t *testing.T) engine.Broker {
	t.Helper()
	b := s.Open(t)
	if b == nil {
		t.Fatal("brokertest: Suite.Open returned a nil broker")
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("close the broker: %v", err)
		}
	})
	return b
}

// bounded returns a context that ends with the test or after waitLimit.
func bounded(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), waitLimit)
	t.Cleanup(cancel)
	return ctx
}
