// Package sse implements the text/event-stream wire format of the WHATWG HTML
// standard ("Server-sent events"): an encoder that cannot produce a frame the
// browser would read differently from what was meant, and a spec-exact parser.
//
// The package uses the standard library only and does no I/O of its own.
package sse

import (
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"
)

// Event is one server-sent event as it travels on the wire.
type Event struct {
	// ID is the event's id. Empty means the frame carries no id line.
	ID string
	// Type is the event type. Empty means the default type, "message".
	Type string
	// Data is the event's data. It may span several lines.
	Data string
}

// ErrInvalidField reports an id or event type that the wire format cannot carry.
var ErrInvalidField = errors.New("sse: invalid field")

// ValidateID reports whether id can be sent as an event id: it may not contain
// CR, LF or NUL. A browser would split a frame on the first two and ignore an id
// holding the third.
func ValidateID(id string) error {
	return validateField("id", id)
}

// ValidateType reports whether name can be sent as an event type: it may not be
// empty or contain CR, LF or NUL.
func ValidateType(name string) error {
	if name == "" {
		return fmt.Errorf("%w: event type is empty", ErrInvalidField)
	}
	return validateField("event type", name)
}

func validateField(what, value string) error {
	if i := strings.IndexAny(value, "\r\n\x00"); i >= 0 {
		return fmt.Errorf("%w: %s %q has %q at byte %d", ErrInvalidField, what, value, value[i], i)
	}
	return nil
}

// AppendEvent appends the frame of e to dst and returns the extended buffer.
// Data is split on CR, LF and CRLF into one data line each, so no byte of the
// data can end the frame early or start a field of its own. An id or type that
// ValidateID or ValidateType refuses is an error, and dst is returned unchanged.
func AppendEvent(dst []byte, e Event) ([]byte, error) {
	if err := ValidateID(e.ID); err != nil {
		return dst, err
	}
	if e.Type != "" {
		if err := ValidateType(e.Type); err != nil {
			return dst, err
		}
	}
	if e.ID != "" {
		dst = appendLine(dst, "id: ", e.ID)
	}
	if e.Type != "" {
		dst = appendLine(dst, "event: ", e.Type)
	}
	dst = appendLines(dst, "data: ", e.Data)
	return append(dst, '\n'), nil
}

// EventLen returns how many bytes AppendEvent appends for e, which it must
// accept: the size of e's frame on the wire, computed without encoding it.
func EventLen(e Event) int {
	n := 1 // the blank line
	if e.ID != "" {
		n += len("id: ") + len(e.ID) + 1
	}
	if e.Type != "" {
		n += len("event: ") + len(e.Type) + 1
	}
	for line := range lines(e.Data) {
		n += len("data: ") + len(line) + 1
	}
	return n
}

// appendLines writes text as lines that each start with prefix, splitting it
// on CR, LF and CRLF, so no byte of text can end a line early.
func appendLines(dst []byte, prefix, text string) []byte {
	for line := range lines(text) {
		dst = appendLine(dst, prefix, line)
	}
	return dst
}

// lines returns the lines of text, split on CR, LF and CRLF; an empty text
// is one empty line.
func lines(text string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for {
			i := strings.IndexAny(text, "\r\n")
			if i < 0 {
				yield(text)
				return
			}
			if !yield(text[:i]) {
				return
			}
			if text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			text = text[i+1:]
		}
	}
}

// AppendID appends an id field alone. Followed by a blank line it sets the
// client's last event id without dispatching an event: a stream can tell a
// client its position before any event reaches it. An id that ValidateID
// refuses is left out.
func AppendID(dst []byte, id string) []byte {
	if ValidateID(id) != nil {
		return dst
	}
	return appendLine(dst, "id: ", id)
}

// AppendComment appends text as comment lines, which a client ignores. Each line
// of text becomes one comment line; an empty text gives the shortest comment,
// ":", which makes a good heartbeat.
func AppendComment(dst []byte, text string) []byte {
	if text == "" {
		return append(dst, ":\n"...)
	}
	return appendLines(dst, ": ", text)
}

// AppendRetry appends a retry field that sets the client's reconnection delay to
// d, in whole milliseconds. Negative durations are sent as zero.
func AppendRetry(dst []byte, d time.Duration) []byte {
	ms := d.Milliseconds()
	if ms < 0 {
		ms = 0
	}
	dst = append(dst, "retry: "...)
	dst = strconv.AppendInt(dst, ms, 10)
	return append(dst, '\n')
}

func appendLine(dst []byte, prefix, value string) []byte {
	dst = append(dst, prefix...)
	dst = append(dst, value...)
	return append(dst, '\n')
}
