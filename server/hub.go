package server

import (
	"errors"
	"fmt"
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
}

// hub assigns ids to published events, encodes each once, keeps the history
// and hands each frame to the subscribers of its topic.
type hub struct {
	queueEvents, queueBytes int
	published               *atomic.Uint64

	mu      sync.Mutex
	seq     uint64 // the last sequence number issued
	history *history
	topics  map[string]map[*subscriber]struct{}
	closed  bool
}

func newHub(c Config, published *atomic.Uint64) *hub {
	return &hub{
		queueEvents: c.QueueEvents,
		queueBytes:  c.QueueBytes,
		published:   published,
		// Sequence numbers start at the microseconds since the epoch, so ids
		// keep increasing across restarts and an id from an earlier run is
		// never mistaken for one of this run.
		seq:     uint64(time.Now().UnixMicro()),
		history: newHistory(c.HistoryEvents, c.HistoryBytes, c.HistoryAge),
		topics:  map[string]map[*subscriber]struct{}{},
	}
}

// publish encodes msgs, appends them to the history and queues them for their
// subscribers, all under one lock so that the batch gets consecutive ids. It
// returns the ids in order.
func (h *hub) publish(msgs []Message) ([]string, error) {
	now := time.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrClosed
	}
	frames := make([]*frame, len(msgs))
	for i, m := range msgs {
		f, err := encodeFrame(h.seq+uint64(i)+1, m, now)
		if err != nil {
			return nil, err
		}
		frames[i] = f
	}
	ids := make([]string, len(frames))
	for i, f := range frames {
		h.seq = f.seq
		h.history.add(f)
		for sub := range h.topics[f.topic] {
			sub.push(f)
		}
		ids[i] = formatID(f.seq)
	}
	h.published.Add(uint64(len(frames)))
	return ids, nil
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
// frames to replay first and, when the history could not cover the id the
// client resumed from, the gap to tell it about.
type subscription struct {
	sub    *subscriber
	replay []*frame
	gap    *shared.Gap
	// position, when set, is the id of the newest event published when the
	// stream subscribed, to send after the replay: with it, a client cut
	// off before its first event resumes from where it subscribed instead
	// of missing what was published meanwhile.
	position string
}

// subscribe registers a subscriber to topics. When resume is set, the frames
// after lastID are collected in the same critical section, so nothing published
// meanwhile is lost or sent twice.
func (h *hub) subscribe(topics []string, resume bool, lastID string) (subscription, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return subscription{}, ErrClosed
	}
	s := subscription{sub: newSubscriber(topics, h.queueEvents, h.queueBytes)}
	for _, t := range topics {
		subs := h.topics[t]
		if subs == nil {
			subs = map[*subscriber]struct{}{}
			h.topics[t] = subs
		}
		subs[s.sub] = struct{}{}
	}
	if resume {
		h.history.expire(time.Now())
		last, err := parseID(lastID)
		complete := false
		if err == nil {
			s.replay, complete = h.history.since(nil, last, h.seq, func(f *frame) bool { return s.sub.reads(f.topic) })
		}
		if !complete {
			s.gap = &shared.Gap{LastEventID: lastID, OldestID: h.oldestID()}
		}
	}
	if h.seq != lastSent(s.replay, resume, lastID) {
		s.position = formatID(h.seq)
	}
	return s, nil
}

// lastSent returns the sequence number a client holds once the replay is
// written: the last replayed frame's, else the id it resumed from.
func lastSent(replay []*frame, resume bool, lastID string) uint64 {
	if len(replay) > 0 {
		return replay[len(replay)-1].seq
	}
	if resume {
		if seq, err := parseID(lastID); err == nil {
			return seq
		}
	}
	return 0
}

// oldestID returns the id of the oldest event held, or "" when none is.
func (h *hub) oldestID() string {
	if seq := h.history.oldest(); seq != 0 {
		return formatID(seq)
	}
	return ""
}

// unsubscribe removes sub from every topic it reads.
func (h *hub) unsubscribe(sub *subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, t := range sub.topics {
		delete(h.topics[t], sub)
		if len(h.topics[t]) == 0 {
			delete(h.topics, t)
		}
	}
}

// close refuses further publishes and subscribes.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
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
