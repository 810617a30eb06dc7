package engine

import (
	"slices"
	"strings"
	"time"
)

// MaxHistoryClasses bounds the topic classes whose history is kept apart.
// The frames of the classes that come after these share one more ring.
const MaxHistoryClasses = 8

// historyShare is how many times the bounds of one class the whole history
// holds at most: past them, the class that holds the most gives up its
// oldest frames.
const historyShare = 2

// history keeps the newest frames for the clients that resume, in one ring
// per topic class: the first segment of a topic, "user" for "user/alice".
// Each class is bounded on its own by count, bytes and age, and the whole
// history by historyShare times those, the class that holds the most giving
// up its frames first; so a flood on one class, such as a user publishing
// to their own topic as fast as they may, evicts frames of that class: the
// frames of "public" stay unless "public" holds the most. A client reading
// several classes resumes from the class that lost the most.
type history struct {
	rings     map[string]*ring
	others    *ring // the frames of the classes past MaxHistoryClasses
	maxEvents int
	maxBytes  int
	maxAge    time.Duration
	start     uint64 // where delivery started
}

func newHistory(maxEvents, maxBytes int, maxAge time.Duration, start uint64) *history {
	return &history{
		rings:     map[string]*ring{},
		others:    newRing(maxEvents, maxBytes, maxAge, start),
		maxEvents: maxEvents,
		maxBytes:  maxBytes,
		maxAge:    maxAge,
		start:     start,
	}
}

// topicClass returns the first segment of topic, without allocating.
func topicClass(topic string) string {
	if i := strings.IndexByte(topic, '/'); i >= 0 {
		return topic[:i]
	}
	return topic
}

// add appends f, whose seq is above every frame's, to the ring of its
// class, made if need be, and evicts that ring's oldest frames over the
// bounds.
func (h *history) add(f *Frame) {
	r := h.ringOf(f.topic)
	if r == nil {
		r = newRing(h.maxEvents, h.maxBytes, h.maxAge, h.start)
		h.rings[strings.Clone(topicClass(f.topic))] = r
	}
	r.add(f)
	h.shrink()
}

// shrink evicts, while the history is over historyShare times the bounds of
// one class, the oldest frame of the class that holds the most of what is
// over.
func (h *history) shrink() {
	for {
		events, bytes := h.size()
		overEvents := events > historyShare*h.maxEvents
		if !overEvents && bytes <= historyShare*h.maxBytes {
			return
		}
		var most *ring
		h.each(nil, func(r *ring) {
			if most == nil || (overEvents && r.n > most.n) || (!overEvents && r.bytes > most.bytes) {
				most = r
			}
		})
		if most.n == 0 {
			return
		}
		most.dropOldest()
	}
}

// ringOf returns the ring that holds topic's frames, or nil when its class
// has none yet and will get one of its own: nothing of it was delivered.
func (h *history) ringOf(topic string) *ring {
	if r, ok := h.rings[topicClass(topic)]; ok {
		return r
	}
	if len(h.rings) >= MaxHistoryClasses {
		return h.others
	}
	return nil
}

// from returns the sequence number after which the history holds every
// frame of topics delivered: the latest of their rings' evictions.
func (h *history) from(topics []string) uint64 {
	from := h.start
	for _, t := range topics {
		if r := h.ringOf(t); r != nil {
			from = max(from, r.from)
		}
	}
	return from
}

// since appends to dst the frames of topics' rings after seq last that pass
// keep, in sequence order.
func (h *history) since(dst []*Frame, last uint64, topics []string, keep func(*Frame) bool) []*Frame {
	var seen []*ring
	for _, t := range topics {
		if r := h.ringOf(t); r != nil && !slices.Contains(seen, r) {
			seen = append(seen, r)
			dst = r.since(dst, last, keep)
		}
	}
	if len(seen) > 1 {
		slices.SortFunc(dst, func(a, b *Frame) int { return compareSeq(a.seq, b.seq) })
	}
	return dst
}

// newest returns, in no order, the newest frames of topics' rings that pass
// keep, each ring's within maxEvents and maxBytes, and the seq of the
// newest frame that passes keep and is left out, 0 if none. It reads no
// more of a ring than the bounds take, and whatever the newest frames of
// all the rings are within those bounds, they are among those returned.
func (h *history) newest(topics []string, keep func(*Frame) bool, maxEvents, maxBytes int) (frames []*Frame, dropped uint64) {
	var seen []*ring
	for _, t := range topics {
		if r := h.ringOf(t); r != nil && !slices.Contains(seen, r) {
			seen = append(seen, r)
			var d uint64
			frames, d = r.newest(frames, keep, maxEvents, maxBytes)
			dropped = max(dropped, d)
		}
	}
	return frames, dropped
}

func compareSeq(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// oldest returns the sequence number of the oldest frame held of topics,
// or of any topic when topics is nil; 0 if none.
func (h *history) oldest(topics []string) uint64 {
	var oldest uint64
	h.each(topics, func(r *ring) {
		if o := r.oldest(); o != 0 && (oldest == 0 || o < oldest) {
			oldest = o
		}
	})
	return oldest
}

// each calls do with every ring of topics, or every ring when topics is nil;
// a ring may come more than once.
func (h *history) each(topics []string, do func(*ring)) {
	if topics == nil {
		for _, r := range h.rings {
			do(r)
		}
		do(h.others)
		return
	}
	for _, t := range topics {
		if r := h.ringOf(t); r != nil {
			do(r)
		}
	}
}

// expire drops the frames older than maxAge at now, in every ring.
func (h *history) expire(now time.Time) {
	h.each(nil, func(r *ring) { r.expire(now) })
}

// size returns the frames held and their bytes, in all.
func (h *history) size() (events, bytes int) {
	h.each(nil, func(r *ring) { events, bytes = events+r.n, bytes+r.bytes })
	return events, bytes
}
