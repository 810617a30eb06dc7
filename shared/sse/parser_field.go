package sse

import (
	"bytes"
	"math"
	"time"
)

// defaultType is the type of an event that names none.
const defaultType = "message"

// processLine interprets one line of the stream and returns the event that a
// blank line dispatches, if any.
func (r *Reader) processLine(line []byte) (Event, bool, error) {
	if len(line) == 0 {
		e, ok := r.dispatch()
		return e, ok, nil
	}
	return Event{}, false, r.field(splitField(line))
}

// splitField returns the field name and value of a line: the name is what
// comes before the first colon, or the whole line if it has none, and the
// value what comes after it, less one leading space.
func splitField(line []byte) (name, value []byte) {
	i := bytes.IndexByte(line, ':')
	if i < 0 {
		return line, nil
	}
	name, value = line[:i], line[i+1:]
	if len(value) > 0 && value[0] == ' ' {
		value = value[1:]
	}
	return name, value
}

// field processes a field. Fields with other names are ignored, and so are
// comments (whose name is empty) unless WithComments asked for them. The data
// and event fields of an event being dropped are ignored too.
func (r *Reader) field(name, value []byte) error {
	if r.dropping && (string(name) == "data" || string(name) == "event") {
		return nil
	}
	switch string(name) {
	case "":
		if r.onComment != nil {
			r.onComment(text(value))
		}
	case "data":
		if n := len(r.data) + len(value); n > r.max {
			return r.tooLarge("data", n, r.line)
		}
		r.data = appendText(r.data, value)
		if len(r.data) > r.max {
			return r.tooLarge("data", len(r.data), r.line)
		}
		r.data = append(r.data, '\n')
	case "event":
		typ := r.eventType(value)
		if len(typ) > r.max {
			return r.tooLarge("event", len(typ), r.line)
		}
		r.typ = typ
	case "id":
		if bytes.IndexByte(value, 0) >= 0 {
			return nil
		}
		id := r.idBuf
		if string(value) != id {
			id = text(value)
		}
		if len(id) > r.max {
			return r.tooLarge("id", len(id), r.line)
		}
		r.idBuf = id
	case "retry":
		if ms, ok := parseRetry(value); ok {
			r.retry, r.hasRetry = ms, true
		}
	}
	return nil
}

// dispatch ends the event at a blank line: it sets the last event ID string
// and returns the event, unless its data buffer is empty.
func (r *Reader) dispatch() (Event, bool) {
	r.lastID = r.idBuf
	r.dropping = false
	typ := r.typ
	r.typ = ""
	if len(r.data) == 0 {
		return Event{}, false
	}
	if typ == "" {
		typ = defaultType
	}
	e := Event{ID: r.lastID, Type: typ, Data: string(r.data[:len(r.data)-1])}
	r.data = r.data[:0]
	return e, true
}

// eventType returns value as a string, reusing the string of a name seen
// before so that a stream of a few types allocates for each only once.
func (r *Reader) eventType(value []byte) string {
	if s, ok := r.types[string(value)]; ok {
		return s
	}
	s := text(value)
	if len(value) <= maxInternedLen && len(r.types) < maxInterned && s == string(value) {
		if r.types == nil {
			r.types = make(map[string]string)
		}
		r.types[s] = s
	}
	return s
}

// A Reader keeps up to maxInterned event type names of up to maxInternedLen
// bytes each.
const (
	maxInterned    = 64
	maxInternedLen = 64
)

// parseRetry reads a retry field's value: base ten milliseconds, ASCII digits
// only. An empty value is not a number. A number too large for a Duration
// gives the longest Duration.
func parseRetry(value []byte) (time.Duration, bool) {
	if len(value) == 0 {
		return 0, false
	}
	const limit = math.MaxInt64 / int64(time.Millisecond)
	var ms int64
	for _, c := range value {
		if c < '0' || c > '9' {
			return 0, false
		}
		if ms <= limit {
			ms = ms*10 + int64(c-'0')
		}
	}
	if ms > limit {
		return math.MaxInt64, true
	}
	return time.Duration(ms) * time.Millisecond, true
}
