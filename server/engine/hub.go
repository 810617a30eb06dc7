package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/heraldhq/herald/shared/sse"
)

// ErrClosed is returned by publishes and subscribes on a hub that has shut
// down.
var ErrClosed = errors.New("hub is closed")

// Config bounds a Hub's queues and history. Every bound must be positive.
type Config struct {
	// QueueEvents and QueueBytes bound each subscriber's queue of events not
	// yet taken by its writer. A subscriber that overflows either gets
	// nothing more, and its stream must end (see Work.Overflowed).
	QueueEvents int
	QueueBytes  int
	// HistoryEvents, HistoryBytes and HistoryAge bound the events kept in
	// memory for the clients that resume, for each topic class on its own
	// (see MaxHistoryClasses).
	HistoryEvents int
	HistoryBytes  int
	HistoryAge    time.Duration
}

// check reports the first bound of c that is not positive.
func (c Config) check() error {
	for _, b := range []struct {
		name string
		v    int64
	}{
		{"QueueEvents", int64(c.QueueEvents)},
		{"QueueBytes", int64(c.QueueBytes)},
		{"HistoryEvents", int64(c.HistoryEvents)},
		{"HistoryBytes", int64(c.HistoryBytes)},
		{"HistoryAge", int64(c.HistoryAge)},
	} {
		if b.v <= 0 {
			return fmt.Errorf("engine config: %s is %d, not positive", b.name, b.v)
		}
	}
	return nil
}

// Hub hands each event its broker delivers, encoded once, to the subscribers
// of its topic, and keeps the newest events in its history for the clients
// that resume.
type Hub struct {
	cfg       Config
	broker    Broker
	closed    atomic.Bool
	published atomic.Uint64
	pacer     pacer

	mu      sync.Mutex
	seq     uint64 // the last sequence number delivered
	history *history
	topics  map[string]map[*Subscriber]struct{}
}

// brokerTimeout bounds the broker calls that have no deadline of their own.
const brokerTimeout = 10 * time.Second

// New returns a Hub that delivers the events b stores from now on. It starts
// b's deliveries; Close closes b.
func New(b Broker, c Config) (*Hub, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), brokerTimeout)
	defer cancel()
	last, err := b.Last(ctx)
	if err != nil {
		return nil, fmt.Errorf("find the broker's last event: %w", err)
	}
	h := &Hub{
		cfg:     c,
		broker:  b,
		seq:     last,
		history: newHistory(c.HistoryEvents, c.HistoryBytes, c.HistoryAge, last),
		topics:  map[string]map[*Subscriber]struct{}{},
	}
	h.pacer.bytesEach = int64(c.QueueBytes / paceQueueShare)
	if err := b.Start(last, h.deliver); err != nil {
		return nil, fmt.Errorf("start the broker's deliveries after event %d: %w", last, err)
	}
	return h, nil
}

// Publish stores msgs in the broker as one batch and returns their ids in
// order, once the subscribers' queues are short enough (see pacer). Every
// type must be a valid event type: an event the broker stored must never fail
// to encode. A batch with an event whose frame could not fit an empty
// subscriber queue is refused whole with ErrFrameTooLarge, before anything
// is stored.
func (h *Hub) Publish(ctx context.Context, msgs []Message) ([]string, error) {
	if h.closed.Load() {
		return nil, ErrClosed
	}
	for i, m := range msgs {
		if err := h.check(m); err != nil {
			if len(msgs) > 1 {
				return nil, fmt.Errorf("event %d: %w", i, err)
			}
			return nil, err
		}
	}
	seqs, err := h.broker.Publish(ctx, msgs)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(seqs))
	for i, seq := range seqs {
		ids[i] = FormatID(seq)
	}
	h.published.Add(uint64(len(msgs)))
	h.pacer.wait(ctx)
	return ids, nil
}

// check reports why m may not be published: a type that is not a valid
// event type, or a frame too large for a subscriber's queue.
func (h *Hub) check(m Message) error {
	if err := sse.ValidateType(m.Type); err != nil {
		return fmt.Errorf("event for topic %q: %w", m.Topic, err)
	}
	if frameSizeBound(m) <= h.cfg.QueueBytes {
		return nil // the usual event: no need to count its lines
	}
	if n := maxFrameSize(m); n > h.cfg.QueueBytes {
		return fmt.Errorf("%s event for topic %q is %d bytes once encoded, over the %d bytes of a subscriber's queue: %w",
			m.Type, m.Topic, n, h.cfg.QueueBytes, ErrFrameTooLarge)
	}
	return nil
}

// Published returns the number of events published through the hub.
func (h *Hub) Published() uint64 { return h.published.Load() }

// deliver takes one event from the broker: it encodes it, appends it to the
// history and queues it for the subscribers of its topic, then starts the
// writers of those that were idle, once it holds no lock: the hub's lock is
// not held while the writer pool takes them. Events delivered before, which
// a broker may deliver again after a reconnection, are dropped.
func (h *Hub) deliver(r Record) {
	at := r.Time
	if at.IsZero() {
		at = time.Now()
	}
	f, err := encodeFrame(r.Seq, r.Message, at)
	h.mu.Lock()
	if r.Seq <= h.seq {
		h.mu.Unlock()
		return
	}
	h.seq = r.Seq
	if err != nil {
		h.mu.Unlock()
		return // not a Herald event: it leaves a hole in the sequence
	}
	h.history.add(f)
	var d pace
	sp := startsPool.Get().(*[]func())
	starts := (*sp)[:0]
	for sub := range h.topics[f.topic] {
		start, dp := sub.push(f)
		if start != nil {
			starts = append(starts, start)
		}
		d = d.plus(dp)
	}
	h.mu.Unlock()
	h.pacer.add(d)
	for _, start := range starts {
		start()
	}
	clear(starts)
	*sp = starts[:0]
	startsPool.Put(sp)
}

// startsPool holds deliver's lists of the writers to start, one for each
// topic's subscribers at most, so that a delivery does not make one.
var startsPool = sync.Pool{New: func() any { return new([]func()) }}

// register adds a subscriber to topics. The caller holds h.mu.
func (h *Hub) register(topics []string) *Subscriber {
	sub := newSubscriber(topics, h.cfg.QueueEvents, h.cfg.QueueBytes, &h.pacer)
	h.pacer.subscribers.Add(1)
	for _, t := range topics {
		subs := h.topics[t]
		if subs == nil {
			subs = map[*Subscriber]struct{}{}
			h.topics[t] = subs
		}
		subs[sub] = struct{}{}
	}
	return sub
}

// Unsubscribe removes sub from every topic it reads and closes it. Its
// stream calls it once, when it ends.
func (h *Hub) Unsubscribe(sub *Subscriber) {
	h.mu.Lock()
	for _, t := range sub.topics {
		delete(h.topics[t], sub)
		if len(h.topics[t]) == 0 {
			delete(h.topics, t)
		}
	}
	h.mu.Unlock()
	h.pacer.subscribers.Add(-1)
	h.pacer.add(sub.close())
}

// Ready returns nil while the hub's broker is reachable, and why not
// otherwise.
func (h *Hub) Ready() error { return h.broker.Ready() }

// HistoryStats is what a hub's history holds, all classes together.
type HistoryStats struct {
	Events   int
	Bytes    int
	OldestID uint64 // 0 when empty
}

// History returns what the hub's history holds now.
func (h *Hub) History() HistoryStats {
	h.mu.Lock()
	defer h.mu.Unlock()
	events, bytes := h.history.size()
	return HistoryStats{Events: events, Bytes: bytes, OldestID: h.history.oldest(nil)}
}

// Close refuses further publishes and subscribes, and closes the broker.
func (h *Hub) Close() {
	h.mu.Lock()
	h.closed.Store(true)
	h.mu.Unlock()
	_ = h.broker.Close()
}
