package server

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/heraldhq/herald/shared"
	"github.com/heraldhq/herald/shared/sse"
)

// ErrClosed is returned by publishes and subscribes on a hub that has shut
// down.
var ErrClosed = errors.New("hub is closed")

// Message is one event to publish: its topic, its type and its data, already
// validated against the schema.
type Message struct {
	Topic string
	Type  string
	Data  []byte
	// Key, if set, makes the publish idempotent: a message whose Key was
	// stored within the broker's dedupe window is not stored again, and gets
	// the first one's id. See ValidateKey.
	Key string
}

// hub hands each event the broker delivers, encoded once, to the subscribers
// of its topic, and keeps the newest events in its history for the clients
// that resume.
type hub struct {
	queueEvents, queueBytes int
	published               *atomic.Uint64
	broker                  Broker
	closed                  atomic.Bool
	pacer                   pacer

	mu      sync.Mutex
	seq     uint64 // the last sequence number delivered
	history *history
	topics  map[string]map[*subscriber]struct{}
}

// brokerTimeout bounds the broker calls that have no deadline of their own.
const brokerTimeout = 10 * time.Second

// newHub returns a hub that delivers the events b stores from now on.
func newHub(c Config, b Broker, published *atomic.Uint64) (*hub, error) {
	ctx, cancel := context.WithTimeout(context.Background(), brokerTimeout)
	defer cancel()
	last, err := b.Last(ctx)
	if err != nil {
		return nil, fmt.Errorf("find the broker's last event: %w", err)
	}
	h := &hub{
		queueEvents: c.QueueEvents,
		queueBytes:  c.QueueBytes,
		published:   published,
		broker:      b,
		seq:         last,
		history:     newHistory(c.HistoryEvents, c.HistoryBytes, c.HistoryAge, last),
		topics:      map[string]map[*subscriber]struct{}{},
	}
	if err := b.Start(last, h.deliver); err != nil {
		return nil, fmt.Errorf("start the broker's deliveries after event %d: %w", last, err)
	}
	return h, nil
}

// publish stores msgs in the broker as one batch and returns their ids in
// order, once the subscribers' queues are short enough (see pacer). Every
// type must be a valid event type: an event the broker stored must never fail
// to encode.
func (h *hub) publish(ctx context.Context, msgs []Message) ([]string, error) {
	if h.closed.Load() {
		return nil, ErrClosed
	}
	for _, m := range msgs {
		if err := sse.ValidateType(m.Type); err != nil {
			return nil, fmt.Errorf("event for topic %q: %w", m.Topic, err)
		}
	}
	seqs, err := h.broker.Publish(ctx, msgs)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(seqs))
	for i, seq := range seqs {
		ids[i] = formatID(seq)
	}
	h.published.Add(uint64(len(msgs)))
	h.pacer.wait(ctx)
	return ids, nil
}

// deliver takes one event from the broker: it encodes it, appends it to the
// history and queues it for the subscribers of its topic. Events delivered
// before, which a broker may deliver again after a reconnection, are dropped.
func (h *hub) deliver(r Record) {
	at := r.Time
	if at.IsZero() {
		at = time.Now()
	}
	f, err := encodeFrame(r.Seq, r.Message, at)
	h.mu.Lock()
	defer h.mu.Unlock()
	if r.Seq <= h.seq {
		return
	}
	h.seq = r.Seq
	if err != nil {
		return // not a Herald event: it leaves a hole in the sequence
	}
	h.history.add(f)
	paced := 0
	for sub := range h.topics[f.topic] {
		paced += sub.push(f)
	}
	h.pacer.add(paced)
}

func encodeFrame(seq uint64, m Message, now time.Time) (*frame, error) {
	wire, err := sse.AppendEvent(make([]byte, 0, len(m.Data)+len(m.Type)+48), sse.Event{
		ID:   formatID(seq),
		Type: m.Type,
		Data: string(m.Data),
	})
	if err != nil {
		return nil, fmt.Errorf("encode %s event for topic %q: %w", m.Type, m.Topic, err)
	}
	return &frame{seq: seq, topic: m.Topic, wire: wire, at: now}, nil
}

// subscription is what subscribe hands a new stream: its subscriber, the
// frames to replay first and, when the events after the id the client resumed
// from are no longer held (or the id was never issued), the gap to tell it
// about. What needs the broker is left for resolve, outside the hub's lock.
type subscription struct {
	sub    *subscriber
	replay []*frame
	gap    *shared.Gap
	// skip is the last sequence number the client has: a client that comes
	// from a node ahead of this one must not get those events twice.
	skip uint64
	// stored are the events read from the broker, replayed before replay.
	stored iter.Seq2[Record, error]

	lastID  string
	last    uint64 // the id resumed from
	upTo    uint64 // the last sequence number delivered when sub registered
	storeTo uint64 // when above last, (last, storeTo] is read from the broker
	verify  bool   // last is above upTo: the broker must confirm it
}

// subscribe registers a subscriber to topics. When resume is set, the frames
// after lastID that the history holds are collected in the same critical
// section, so nothing published meanwhile is lost or sent twice; the older
// ones are left for resolve to read from the broker.
func (h *hub) subscribe(topics []string, resume bool, lastID string) (subscription, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed.Load() {
		return subscription{}, ErrClosed
	}
	s := subscription{sub: newSubscriber(topics, h.queueEvents, h.queueBytes), upTo: h.seq}
	h.pacer.subscribers.Add(1)
	for _, t := range topics {
		subs := h.topics[t]
		if subs == nil {
			subs = map[*subscriber]struct{}{}
			h.topics[t] = subs
		}
		subs[s.sub] = struct{}{}
	}
	if !resume {
		return s, nil
	}
	h.history.expire(time.Now())
	last, err := parseID(lastID)
	s.lastID, s.last = lastID, last
	switch {
	case err != nil:
		s.gap = &shared.Gap{LastEventID: lastID}
		s.last, s.storeTo = 0, h.history.from
		s.replay = h.history.since(nil, h.history.from, s.reads)
	case last > h.seq:
		s.verify, s.skip = true, last
	case last >= h.history.from:
		s.replay = h.history.since(nil, last, s.reads)
	default:
		s.storeTo = h.history.from
		s.replay = h.history.since(nil, h.history.from, s.reads)
	}
	return s, nil
}

// reads reports whether the subscription's subscriber reads f's topic.
func (s *subscription) reads(f *frame) bool { return s.sub.reads(f.topic) }

// position returns the id to send after the replay, whose last event had
// sequence number replayed (0 if none), so that a client cut off before its
// first live event resumes from where its stream began instead of missing
// what was published meanwhile; "" when the client's id is already there.
// A client with no id of this stream, new or told of a gap, always gets one,
// if only "0" on an empty broker.
func (s *subscription) position(replayed uint64) string {
	sent := replayed
	if sent == 0 {
		if s.gap != nil || s.lastID == "" {
			return formatID(s.upTo)
		}
		sent = s.last
	}
	if s.upTo > sent {
		return formatID(s.upTo)
	}
	return ""
}

// resolve does the part of a resume that needs the broker: it confirms an id
// above what this hub delivered, and opens the read of the events older than
// the history. It fails only when the broker cannot be read.
func (h *hub) resolve(ctx context.Context, s *subscription) error {
	if s.verify && h.unknown(ctx, s.last) {
		s.gap = &shared.Gap{LastEventID: s.lastID}
		s.skip, s.last = 0, 0
		s.replay, s.storeTo = h.cached(s.upTo, s.reads)
	}
	if s.storeTo <= s.last {
		if s.gap != nil {
			s.gap.OldestID = h.oldestID(0)
		}
		return nil
	}
	oldest, stored, err := h.broker.Read(ctx, s.last+1, s.storeTo, s.sub.topics)
	if err != nil {
		return fmt.Errorf("read the events after %d: %w", s.last, err)
	}
	s.stored = stored
	if s.gap == nil && (oldest == 0 || s.last+1 < oldest) {
		s.gap = &shared.Gap{LastEventID: s.lastID}
	}
	if s.gap != nil {
		s.gap.OldestID = h.oldestID(oldest)
	}
	return nil
}

// unknown reports whether the broker confirms that seq was never issued. A
// broker that cannot be reached confirms nothing: the client is trusted.
func (h *hub) unknown(ctx context.Context, seq uint64) bool {
	last, err := h.broker.Last(ctx)
	return err == nil && seq > last
}

// cached returns the frames the history holds up to sequence number upTo that
// pass keep, and the sequence number after which it holds every frame.
func (h *hub) cached(upTo uint64, keep func(*frame) bool) ([]*frame, uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := h.history.since(nil, h.history.from, keep)
	for len(out) > 0 && out[len(out)-1].seq > upTo {
		out = out[:len(out)-1]
	}
	return out, h.history.from
}

// oldestID returns the id of the oldest event this node can replay: the
// broker's oldest stored, if any and older, or the oldest in the history; ""
// when there is none.
func (h *hub) oldestID(stored uint64) string {
	h.mu.Lock()
	held := h.history.oldest()
	h.mu.Unlock()
	if stored != 0 && (held == 0 || stored < held) {
		held = stored
	}
	if held == 0 {
		return ""
	}
	return formatID(held)
}

// unsubscribe removes sub from every topic it reads and closes it.
func (h *hub) unsubscribe(sub *subscriber) {
	h.mu.Lock()
	for _, t := range sub.topics {
		delete(h.topics[t], sub)
		if len(h.topics[t]) == 0 {
			delete(h.topics, t)
		}
	}
	h.mu.Unlock()
	h.pacer.subscribers.Add(-1)
	h.pacer.remove(sub.close())
}

// close refuses further publishes and subscribes, and closes the broker.
func (h *hub) close() {
	h.mu.Lock()
	h.closed.Store(true)
	h.mu.Unlock()
	_ = h.broker.Close()
}

func formatID(seq uint64) string { return strconv.FormatUint(seq, 10) }

// MaxIDLen is the longest Last-Event-ID accepted.
const MaxIDLen = 20

// parseID reads an event id as this hub issues them: decimal digits only.
func parseID(id string) (uint64, error) {
	if len(id) == 0 || len(id) > MaxIDLen {
		return 0, fmt.Errorf("event id %q is not 1 to %d digits", id, MaxIDLen)
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return 0, fmt.Errorf("event id %q is not all digits", id)
		}
	}
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("event id %q is out of range", id)
	}
	return n, nil
}
