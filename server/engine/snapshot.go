package engine

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/heraldhq/herald/shared/sse"
)

// Snapshot is what the history holds of some topics at one event id: the
// input of a fold (see shared.Fold) computed on the server, and the id its
// client resumes the stream from.
type Snapshot struct {
	// Frames are the events of the topics the history holds up to ID,
	// oldest first.
	Frames []*Frame
	// ID is the id of the last event the hub had delivered, of any topic,
	// when the frames were taken. A stream of the same topics resumed from
	// it gets every event after the frames, once: none is lost or sent twice.
	ID string
	// Since is "" when Frames hold every event of the topics the hub
	// delivered since it started; otherwise it is the id of the newest event
	// left out, by the history's bounds (count, bytes, age) or the
	// snapshot's: Frames hold every event after it. Events a broker stored
	// before the hub started are never in the history. A fold of the
	// frames is then a fold of the newest events only: a state that only
	// the newest events make (the last N lines, the latest value of a key
	// still published) is whole, one that needs every event (a count, a
	// key last published long ago) is not.
	Since string
}

// Complete reports whether the snapshot holds every event of its topics
// since the hub started.
func (s Snapshot) Complete() bool { return s.Since == "" }

// Snapshot returns the frames the history holds of topics and the id they
// end at, taken together under the hub's lock, so that nothing delivered
// meanwhile is in one and not the other. Only the newest maxEvents frames,
// and of them only the newest whose wire takes maxBytes at most, are kept;
// a bound below 1 keeps none. It fails with ErrClosed once the hub is
// closed.
func (h *Hub) Snapshot(topics []string, maxEvents, maxBytes int) (Snapshot, error) {
	want := map[string]bool{}
	for _, t := range topics {
		want[t] = true
	}
	keep := func(f *Frame) bool { return want[f.topic] }
	h.mu.Lock()
	if h.closed.Load() {
		h.mu.Unlock()
		return Snapshot{}, ErrClosed
	}
	h.history.expire(time.Now())
	from := h.history.from(topics)
	frames, dropped := h.history.newest(topics, keep, maxEvents, maxBytes)
	upTo := h.seq
	start := h.history.start
	h.mu.Unlock()
	slices.SortFunc(frames, func(a, b *Frame) int { return compareSeq(a.seq, b.seq) })
	kept, left := newest(frames, maxEvents, maxBytes)
	if dropped = max(dropped, left); dropped != 0 {
		from = dropped
	}
	s := Snapshot{Frames: kept, ID: FormatID(upTo)}
	if from != start {
		s.Since = FormatID(from)
	}
	return s, nil
}

// newest returns the newest of frames, which are in sequence order, within
// maxEvents and maxBytes, and the seq of the newest frame it leaves out, 0
// if none.
func newest(frames []*Frame, maxEvents, maxBytes int) (kept []*Frame, dropped uint64) {
	first, bytes := len(frames), 0
	for first > 0 && len(frames)-first < maxEvents && bytes+len(frames[first-1].wire) <= maxBytes {
		first--
		bytes += len(frames[first].wire)
	}
	if first > 0 {
		dropped = frames[first-1].seq
	}
	return frames[first:], dropped
}

// Event returns the event the frame carries, as its wire says: its id, its
// type and its data, whose lines are joined with LF as a client reads them.
// The wire is the hub's own encoding (sse.AppendEvent), one field per line:
// it is read without a parser's buffers.
func (f *Frame) Event() (sse.Event, error) {
	var e sse.Event
	var data []string
	rest := string(f.wire)
	for rest != "" {
		line, after, found := strings.Cut(rest, "\n")
		if !found {
			return sse.Event{}, fmt.Errorf("read the frame of event %d: a line without its end", f.seq)
		}
		rest = after
		name, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch name {
		case "id":
			e.ID = value
		case "event":
			e.Type = value
		case "data":
			data = append(data, value)
		}
	}
	e.Data = strings.Join(data, "\n")
	return e, nil
}
