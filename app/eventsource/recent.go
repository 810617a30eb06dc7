package eventsource

// This file holds the bookkeeping of a browser Source that shares its
// connection with other tabs. It has no JavaScript in it, so it is tested
// natively.

// recentSize is how many delivered events each tab keeps, so that the tab
// holding a shared connection can send a tab that joins, or falls behind,
// what it missed.
const recentSize = 1024

// relayed is an event as one tab relays it to the others: with the last event
// id that came before it, so that a tab sees at once when it missed one.
type relayed struct {
	message
	prev string
}

// advances reports whether the event moved the stream's last event id: only
// those can be resumed from.
func (m relayed) advances() bool { return m.id != m.prev }

// recent is a ring of the events a tab delivered last.
type recent struct {
	ring  []relayed
	start int
	ids   map[string]int // the ids the ring holds, with how often
}

// add appends m, dropping the oldest event when the ring is full.
func (r *recent) add(m relayed) {
	if r.ids == nil {
		r.ids = map[string]int{}
	}
	if len(r.ring) < recentSize {
		r.ring = append(r.ring, m)
	} else {
		r.forget(r.ring[r.start])
		r.ring[r.start] = m
		r.start = (r.start + 1) % recentSize
	}
	if m.advances() {
		r.ids[m.id]++
	}
}

func (r *recent) forget(m relayed) {
	if !m.advances() {
		return
	}
	if r.ids[m.id]--; r.ids[m.id] <= 0 {
		delete(r.ids, m.id)
	}
}

// at returns the i-th event, oldest first.
func (r *recent) at(i int) relayed { return r.ring[(r.start+i)%len(r.ring)] }

// has reports whether an event that moved the last event id to id is in the
// ring.
func (r *recent) has(id string) bool { return r.ids[id] > 0 }

// since returns the events that followed the last one with id after, for a
// tab whose last event id is after while this tab's is last. It reports false,
// with every event it holds, when the ring does not reach back to after; an
// empty after asks for nothing, as a tab that starts from now.
func (r *recent) since(after, last string) (events []relayed, found bool) {
	if after == "" || after == last {
		return nil, true
	}
	for i := len(r.ring) - 1; i >= 0; i-- {
		if m := r.at(i); m.id == after && m.advances() {
			return r.slice(i + 1), true
		}
	}
	return r.slice(0), false
}

// slice returns a copy of the events from the i-th on.
func (r *recent) slice(i int) []relayed {
	out := make([]relayed, 0, len(r.ring)-i)
	for ; i < len(r.ring); i++ {
		out = append(out, r.at(i))
	}
	return out
}

// verdict is what a tab does with an event relayed by the tab that holds the
// connection.
type verdict int

const (
	// deliverIt: the event follows the last one this tab delivered.
	deliverIt verdict = iota
	// skipIt: this tab has delivered it already.
	skipIt
	// resync: this tab missed something, and must ask for it.
	resync
)

// judge returns what to do with m in a tab whose last event id is last.
func (r *recent) judge(m relayed, last string) verdict {
	switch {
	case m.advances() && r.has(m.id):
		return skipIt
	case m.prev == last:
		return deliverIt
	}
	return resync
}
