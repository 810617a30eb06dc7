package engine

import (
	"context"
	"iter"
	"sync"
	"time"
)

// The limits of the in-memory broker's duplicate detection.
const (
	// DedupeWindow is how long the in-memory broker remembers a message's
	// Key, as JetStream's default duplicate window.
	DedupeWindow = 2 * time.Minute
	// DedupeKeys bounds the keys the in-memory broker remembers at once; the
	// oldest are forgotten first.
	DedupeKeys = 100_000
)

// memoryBroker is the default broker: a sequence counter in this process. It
// stores nothing beyond the Server's own history, and delivers each batch as
// part of Publish, so an event is on its way to every subscriber when Publish
// returns.
type memoryBroker struct {
	mu      sync.Mutex
	seq     uint64
	deliver func(Record)
	after   uint64 // Start's: the events up to it are not delivered
	keys    map[string]uint64
	order   []keyed // keys in the order they were stored, oldest first
	closed  bool
}

type keyed struct {
	key string
	at  time.Time
}

// NewMemoryBroker returns the in-memory broker, the one a Server uses when its
// Config names none. It stores no events: its Read finds none, and its Start
// delivers the events published from then on. Its sequence numbers start after
// the microseconds since the epoch, so ids keep increasing across restarts and
// an id from an earlier run is never mistaken for one of this run.
func NewMemoryBroker() Broker {
	return &memoryBroker{seq: uint64(time.Now().UnixMicro()), keys: map[string]uint64{}}
}

func (b *memoryBroker) Last(context.Context) (uint64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.seq, nil
}

func (b *memoryBroker) Start(after uint64, deliver func(Record)) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.deliver, b.after = deliver, after
	return nil
}

// Publish numbers msgs and delivers them under one lock, so a batch gets
// consecutive sequence numbers and batches are delivered in order.
func (b *memoryBroker) Publish(_ context.Context, msgs []Message) ([]uint64, error) {
	now := time.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, ErrClosed
	}
	b.forget(now)
	seqs := make([]uint64, len(msgs))
	for i, m := range msgs {
		if seq, ok := b.keys[m.Key]; ok && m.Key != "" {
			seqs[i] = seq
			continue
		}
		b.seq++
		seqs[i] = b.seq
		b.remember(m.Key, b.seq, now)
		if b.deliver != nil && b.seq > b.after {
			b.deliver(Record{Message: m, Seq: b.seq, Time: now})
		}
	}
	return seqs, nil
}

// remember keeps key, if any, for the dedupe window.
func (b *memoryBroker) remember(key string, seq uint64, now time.Time) {
	if key == "" {
		return
	}
	if len(b.order) >= DedupeKeys {
		delete(b.keys, b.order[0].key)
		b.order = b.order[1:] // append moves the live keys to a new array when it must grow
	}
	b.keys[key] = seq
	b.order = append(b.order, keyed{key, now})
}

// forget drops the keys older than the dedupe window.
func (b *memoryBroker) forget(now time.Time) {
	n := 0
	for n < len(b.order) && now.Sub(b.order[n].at) > DedupeWindow {
		delete(b.keys, b.order[n].key)
		n++
	}
	b.order = b.order[n:]
}

// Read finds nothing: the Server's history is all this broker keeps.
func (b *memoryBroker) Read(context.Context, uint64, uint64, []string) (uint64, iter.Seq2[Record, error], error) {
	return 0, func(func(Record, error) bool) {}, nil
}

func (b *memoryBroker) Ready() error { return nil }

func (b *memoryBroker) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	return nil
}
