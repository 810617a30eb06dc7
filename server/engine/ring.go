package engine

import (
	"sort"
	"time"
)

// ring is a bounded ring of the newest frames, by count, bytes and age: the
// history of one topic class (see history). Its frames are in sequence order
// and usually consecutive, so a frame is found from its number in O(1); when
// the broker skipped numbers, or the frames of other classes sit between
// them, by binary search.
type ring struct {
	buf       []*Frame
	head, n   int // index of the oldest frame, number of frames
	bytes     int
	maxEvents int
	maxBytes  int
	maxAge    time.Duration
	// from is the sequence number after which the ring holds every frame
	// of its classes delivered: where delivery started, or the last frame
	// evicted.
	from uint64
}

func newRing(maxEvents, maxBytes int, maxAge time.Duration, from uint64) *ring {
	return &ring{buf: make([]*Frame, min(maxEvents, 1024)), maxEvents: maxEvents, maxBytes: maxBytes, maxAge: maxAge, from: from}
}

// add appends f, whose seq is above the newest frame's, and evicts the oldest
// frames over the limits.
func (r *ring) add(f *Frame) {
	if r.n == len(r.buf) {
		if len(r.buf) < r.maxEvents {
			r.grow()
		} else {
			r.dropOldest()
		}
	}
	r.buf[(r.head+r.n)%len(r.buf)] = f
	r.n++
	r.bytes += len(f.wire)
	for r.n > 1 && r.bytes > r.maxBytes {
		r.dropOldest()
	}
	r.expire(f.at)
}

func (r *ring) grow() {
	bigger := make([]*Frame, min(2*len(r.buf), r.maxEvents))
	for i := 0; i < r.n; i++ {
		bigger[i] = r.at(i)
	}
	r.buf, r.head = bigger, 0
}

// expire drops the frames older than maxAge at now.
func (r *ring) expire(now time.Time) {
	for r.n > 0 && now.Sub(r.at(0).at) > r.maxAge {
		r.dropOldest()
	}
}

func (r *ring) dropOldest() {
	f := r.buf[r.head]
	r.buf[r.head] = nil
	r.head = (r.head + 1) % len(r.buf)
	r.n--
	r.bytes -= len(f.wire)
	r.from = f.seq
}

// at returns the i-th oldest frame.
func (r *ring) at(i int) *Frame { return r.buf[(r.head+i)%len(r.buf)] }

// oldest returns the sequence number of the oldest frame held, or 0 if none.
func (r *ring) oldest() uint64 {
	if r.n == 0 {
		return 0
	}
	return r.at(0).seq
}

// since appends to dst the frames after seq last that pass keep.
func (r *ring) since(dst []*Frame, last uint64, keep func(*Frame) bool) []*Frame {
	for i := r.after(last); i < r.n; i++ {
		if f := r.at(i); keep(f) {
			dst = append(dst, f)
		}
	}
	return dst
}

// newest appends to dst, newest first, the frames that pass keep within
// maxEvents and maxBytes, and returns the seq of the newest frame that
// passes keep and is left out, 0 if none.
func (r *ring) newest(dst []*Frame, keep func(*Frame) bool, maxEvents, maxBytes int) ([]*Frame, uint64) {
	events, bytes := 0, 0
	for i := r.n - 1; i >= 0; i-- {
		f := r.at(i)
		if !keep(f) {
			continue
		}
		if events >= maxEvents || bytes+len(f.wire) > maxBytes {
			return dst, f.seq
		}
		dst = append(dst, f)
		events, bytes = events+1, bytes+len(f.wire)
	}
	return dst, 0
}

// after returns the index of the oldest frame whose seq is above last, or n
// if none is.
func (r *ring) after(last uint64) int {
	if r.n == 0 || last < r.at(0).seq {
		return 0
	}
	if d := last - r.at(0).seq + 1; d <= uint64(r.n) && r.at(int(d)-1).seq == last {
		return int(d) // consecutive up to last: the usual case
	}
	return sort.Search(r.n, func(i int) bool { return r.at(i).seq > last })
}
