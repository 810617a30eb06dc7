package load

// maxWindow is the most sequence numbers a stream remembers, to tell a
// duplicate from a late event: 8,192 bits, 1 KiB a stream.
const maxWindow = 8192

// sequence checks the sequence numbers one stream receives, which the
// publisher numbers from 0 up. A number seen before is a duplicate; one
// lower than the highest seen, and not seen before, is out of order. A number
// older than the window is counted out of order and distinct, as it cannot
// be checked. A sequence is used by one goroutine.
type sequence struct {
	seen       []uint64 // a ring of bits: number s is bit s % window
	highest    int64    // the highest number seen; -1 before the first
	distinct   int64
	duplicated int64
	outOfOrder int64
}

// newSequence returns a sequence that remembers up to events numbers, at most
// maxWindow.
func newSequence(events int) *sequence {
	window := min(max(events, 64), maxWindow)
	return &sequence{seen: make([]uint64, (window+63)/64), highest: -1}
}

func (q *sequence) window() int64 { return int64(len(q.seen)) * 64 }

func (q *sequence) bit(s int64) (word int, mask uint64) {
	i := s % q.window()
	return int(i / 64), 1 << (i % 64)
}

// see records number s, and reports whether it is new.
func (q *sequence) see(s int64) bool {
	if s > q.highest {
		q.forget(q.highest+1, s)
		q.highest = s
		q.mark(s)
		q.distinct++
		return true
	}
	if s <= q.highest-q.window() {
		q.outOfOrder++
		q.distinct++
		return true
	}
	if w, m := q.bit(s); q.seen[w]&m != 0 {
		q.duplicated++
		return false
	}
	q.mark(s)
	q.outOfOrder++
	q.distinct++
	return true
}

func (q *sequence) mark(s int64) {
	w, m := q.bit(s)
	q.seen[w] |= m
}

// forget clears the bits that numbers from to through are about to take,
// which older numbers held.
func (q *sequence) forget(from, through int64) {
	if through-from >= q.window() {
		clear(q.seen)
		return
	}
	for s := from; s <= through; s++ {
		w, m := q.bit(s)
		q.seen[w] &^= m
	}
}
