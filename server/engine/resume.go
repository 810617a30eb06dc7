package engine

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/heraldhq/herald/shared"
)

// Subscription is a new subscriber and what its client missed: the events
// after the id it resumes from, and, when some of them are lost (or the id
// was never issued), the gap to tell it about.
type Subscription struct {
	// Subscriber is the stream's place in the hub.
	Subscriber *Subscriber
	// Gap, when set, is the herald.gap event the stream begins with.
	Gap *shared.Gap
	// Skip is the last sequence number the client has, when it comes from
	// a server ahead of this one: live frames up to it are not written.
	Skip uint64

	fromHistory []*Frame                 // replayed after fromBroker
	fromBroker  iter.Seq2[Record, error] // the missed events older than the history
	lastID      string                   // the id the client sent
	upTo        uint64                   // the last sequence number delivered when the subscriber registered
}

// Subscribe registers a subscriber to topics. When resume is set, the client
// resumes from lastID: what the history holds after it is collected in the
// same critical section, so that nothing published meanwhile is lost or
// sent twice; what is older is then read from the broker. An id that is not
// one of the hub's, or that was never issued, gets the whole history after a
// gap. It fails with ErrClosed once the hub is closed, and with the broker's
// error when the broker cannot be read: the subscriber is then removed.
func (h *Hub) Subscribe(ctx context.Context, topics []string, resume bool, lastID string) (*Subscription, error) {
	s, plan, err := h.subscribe(topics, resume, lastID)
	if err != nil {
		return nil, err
	}
	if err := h.resolve(ctx, s, plan); err != nil {
		h.Unsubscribe(s.Subscriber)
		return nil, err
	}
	return s, nil
}

// readPlan is what subscribe leaves for resolve to do with the broker.
type readPlan struct {
	last    uint64 // the sequence number resumed from
	storeTo uint64 // when above last, (last, storeTo] is read from the broker
	verify  bool   // last is above what the hub delivered: the broker must confirm it
}

// subscribe registers the subscriber and takes what the history holds for
// it, under the hub's lock.
func (h *Hub) subscribe(topics []string, resume bool, lastID string) (*Subscription, readPlan, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed.Load() {
		return nil, readPlan{}, ErrClosed
	}
	s := &Subscription{Subscriber: h.register(topics), upTo: h.seq}
	if !resume {
		return s, readPlan{}, nil
	}
	h.history.expire(time.Now())
	s.lastID = lastID
	last, err := ParseID(lastID)
	from := h.history.from(topics)
	var plan readPlan
	switch {
	case err != nil:
		s.Gap = &shared.Gap{LastEventID: gapID(lastID)}
		plan.storeTo = from
		s.fromHistory = h.history.since(nil, from, topics, s.reads)
	case last > h.seq:
		plan.last, plan.verify, s.Skip = last, true, last
	case last >= from:
		plan.last = last
		s.fromHistory = h.history.since(nil, last, topics, s.reads)
	default:
		plan.last, plan.storeTo = last, from
		s.fromHistory = h.history.since(nil, from, topics, s.reads)
	}
	return s, plan, nil
}

// MaxGapIDLen bounds the id a herald.gap event repeats: an id that is not one
// of the hub's is cut to it, so that a client's input never comes back long.
const MaxGapIDLen = 64

// gapID returns id as a herald.gap event repeats it: cut to MaxGapIDLen
// bytes, on a character boundary.
func gapID(id string) string {
	if len(id) <= MaxGapIDLen {
		return id
	}
	return strings.ToValidUTF8(id[:MaxGapIDLen], "")
}

// resolve does the part of a resume that needs the broker: it confirms an id
// above what the hub delivered, and opens the read of the events older than
// the history.
func (h *Hub) resolve(ctx context.Context, s *Subscription, plan readPlan) error {
	if plan.verify && h.unknown(ctx, plan.last) {
		s.Gap = &shared.Gap{LastEventID: s.lastID}
		s.Skip, plan.last = 0, 0
		s.fromHistory, plan.storeTo = h.cached(s.Subscriber.topics, s.upTo, s.reads)
	}
	if plan.storeTo <= plan.last {
		if s.Gap != nil {
			s.Gap.OldestID = h.oldestID(s.Subscriber.topics, 0)
		}
		return nil
	}
	oldest, stored, err := h.broker.Read(ctx, plan.last+1, plan.storeTo, s.Subscriber.topics)
	if err != nil {
		return fmt.Errorf("read the events after %d: %w", plan.last, err)
	}
	s.fromBroker = stored
	if s.Gap == nil && (oldest == 0 || plan.last+1 < oldest) {
		s.Gap = &shared.Gap{LastEventID: s.lastID}
	}
	if s.Gap != nil {
		s.Gap.OldestID = h.oldestID(s.Subscriber.topics, oldest)
	}
	return nil
}

// reads reports whether the subscription's subscriber reads f's topic.
func (s *Subscription) reads(f *Frame) bool { return s.Subscriber.reads(f.topic) }

// Missed reports whether the stream begins with what the client missed: a
// gap or events to replay.
func (s *Subscription) Missed() bool {
	return s.Gap != nil || len(s.fromHistory) > 0 || s.fromBroker != nil
}

// Replay returns the events the client missed, in order: those read from
// the broker, then those of the history. Ranging stops at the first error
// reading the broker.
func (s *Subscription) Replay() iter.Seq2[*Frame, error] {
	return func(yield func(*Frame, error) bool) {
		if s.fromBroker != nil {
			for rec, err := range s.fromBroker {
				if err != nil {
					yield(nil, err)
					return
				}
				f, err := encodeFrame(rec.Seq, rec.Message, rec.Time)
				if err != nil {
					continue // not a Herald event
				}
				if !yield(f, nil) {
					return
				}
			}
		}
		for _, f := range s.fromHistory {
			if !yield(f, nil) {
				return
			}
		}
	}
}

// Position returns the id to send once the replay is written, whose last
// event had sequence number replayed (0 if none), so that a client cut off
// before its first live event resumes from where its stream began instead
// of missing what was published meanwhile; "" when the client's id is
// already there. A client with no id of this stream, new or told of a gap,
// always gets one, if only "0" on an empty broker.
func (s *Subscription) Position(replayed uint64) string {
	sent := replayed
	if sent == 0 {
		if s.Gap != nil || s.lastID == "" {
			return FormatID(s.upTo)
		}
		var err error
		if sent, err = ParseID(s.lastID); err != nil {
			return FormatID(s.upTo)
		}
	}
	if s.upTo > sent {
		return FormatID(s.upTo)
	}
	return ""
}

// unknown reports whether the broker confirms that seq was never issued. A
// broker that cannot be reached confirms nothing: the client is trusted.
func (h *Hub) unknown(ctx context.Context, seq uint64) bool {
	last, err := h.broker.Last(ctx)
	return err == nil && seq > last
}

// cached returns the frames of topics the history holds up to sequence
// number upTo that pass keep, and the sequence number after which it holds
// every frame of topics.
func (h *Hub) cached(topics []string, upTo uint64, keep func(*Frame) bool) ([]*Frame, uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	from := h.history.from(topics)
	out := h.history.since(nil, from, topics, keep)
	for len(out) > 0 && out[len(out)-1].seq > upTo {
		out = out[:len(out)-1]
	}
	return out, from
}

// oldestID returns the id of the oldest event of topics this hub can
// replay: the broker's oldest stored, if any and older, or the oldest in the
// history; "" when there is none.
func (h *Hub) oldestID(topics []string, stored uint64) string {
	h.mu.Lock()
	held := h.history.oldest(topics)
	h.mu.Unlock()
	if stored != 0 && (held == 0 || stored < held) {
		held = stored
	}
	if held == 0 {
		return ""
	}
	return FormatID(held)
}
