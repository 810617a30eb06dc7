package server

import "time"

// frame is one published event, encoded once. It is immutable once made: the
// same frame sits in the history and in every subscriber's queue.
type frame struct {
	seq   uint64
	topic string
	wire  []byte // the complete SSE frame, blank line included
	at    time.Time
}

// history is a bounded ring of the newest frames, by count, bytes and age. Its
// frames have consecutive sequence numbers, so a frame is found from its number
// in O(1).
type history struct {
	ring      []*frame
	head, n   int // index of the oldest frame, number of frames
	bytes     int
	maxEvents int
	maxBytes  int
	maxAge    time.Duration
}

func newHistory(maxEvents, maxBytes int, maxAge time.Duration) *history {
	return &history{ring: make([]*frame, min(maxEvents, 1024)), maxEvents: maxEvents, maxBytes: maxBytes, maxAge: maxAge}
}

// add appends f, whose seq follows the newest frame's, and evicts the oldest
// frames over the limits.
func (h *history) add(f *frame) {
	if h.n == len(h.ring) {
		if len(h.ring) < h.maxEvents {
			h.grow()
		} else {
			h.dropOldest()
		}
	}
	h.ring[(h.head+h.n)%len(h.ring)] = f
	h.n++
	h.bytes += len(f.wire)
	for h.n > 1 && h.bytes > h.maxBytes {
		h.dropOldest()
	}
	h.expire(f.at)
}

func (h *history) grow() {
	bigger := make([]*frame, min(2*len(h.ring), h.maxEvents))
	for i := 0; i < h.n; i++ {
		bigger[i] = h.at(i)
	}
	h.ring, h.head = bigger, 0
}

// expire drops the frames older than maxAge at now.
func (h *history) expire(now time.Time) {
	for h.n > 0 && now.Sub(h.at(0).at) > h.maxAge {
		h.dropOldest()
	}
}

func (h *history) dropOldest() {
	f := h.ring[h.head]
	h.ring[h.head] = nil
	h.head = (h.head + 1) % len(h.ring)
	h.n--
	h.bytes -= len(f.wire)
}

// at returns the i-th oldest frame.
func (h *history) at(i int) *frame { return h.ring[(h.head+i)%len(h.ring)] }

// oldest returns the sequence number of the oldest frame held, or 0 if none.
func (h *history) oldest() uint64 {
	if h.n == 0 {
		return 0
	}
	return h.at(0).seq
}

// since appends to dst the frames after seq last that pass keep. newest is the
// last sequence number issued. complete is false when frames after last are
// no longer held, or when last was never issued.
func (h *history) since(dst []*frame, last, newest uint64, keep func(*frame) bool) (out []*frame, complete bool) {
	first := 0
	complete = last <= newest
	if h.n > 0 {
		oldest := h.at(0).seq
		switch {
		case last+1 < oldest:
			complete = false
		case last >= oldest:
			first = int(min(last-oldest+1, uint64(h.n)))
		}
	} else if last < newest {
		complete = false
	}
	if !complete {
		first = 0
	}
	for i := first; i < h.n; i++ {
		if f := h.at(i); keep(f) {
			dst = append(dst, f)
		}
	}
	return dst, complete
}
