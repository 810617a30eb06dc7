package engine

import (
	"sort"
	"time"
)

// history is a bounded ring of the newest frames, by count, bytes and age. Its
// frames are in sequence order and usually consecutive, so a frame is found
// from its number in O(1); when the broker skipped numbers, by binary search.
type history struct {
	ring      []*Frame
	head, n   int // index of the oldest frame, number of frames
	bytes     int
	maxEvents int
	maxBytes  int
	maxAge    time.Duration
	// from is the sequence number after which the history holds every
	// frame delivered: where delivery started, or the last frame evicted.
	from uint64
}

func newHistory(maxEvents, maxBytes int, maxAge time.Duration, from uint64) *history {
	return &history{ring: make([]*Frame, min(maxEvents, 1024)), maxEvents: maxEvents, maxBytes: maxBytes, maxAge: maxAge, from: from}
}

// add appends f, whose seq is above the newest frame's, and evicts the oldest
// frames over the limits.
func (h *history) add(f *Frame) {
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
	bigger := make([]*Frame, min(2*len(h.ring), h.maxEvents))
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
	h.from = f.seq
}

// at returns the i-th oldest frame.
func (h *history) at(i int) *Frame { return h.ring[(h.head+i)%len(h.ring)] }

// oldest returns the sequence number of the oldest frame held, or 0 if none.
func (h *history) oldest() uint64 {
	if h.n == 0 {
		return 0
	}
	return h.at(0).seq
}

// since appends to dst the frames after seq last that pass keep.
func (h *history) since(dst []*Frame, last uint64, keep func(*Frame) bool) []*Frame {
	for i := h.after(last); i < h.n; i++ {
		if f := h.at(i); keep(f) {
			dst = append(dst, f)
		}
	}
	return dst
}

// after returns the index of the oldest frame whose seq is above last, or n
// if none is.
func (h *history) after(last uint64) int {
	if h.n == 0 || last < h.at(0).seq {
		return 0
	}
	if d := last - h.at(0).seq + 1; d <= uint64(h.n) && h.at(int(d)-1).seq == last {
		return int(d) // consecutive up to last: the usual case
	}
	return sort.Search(h.n, func(i int) bool { return h.at(i).seq > last })
}
