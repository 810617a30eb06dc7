package sse

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

func TestWithCommentsReportsComments(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct {
		name     string
		input    string
		comments []string
		want     []Event
	}{
		{name: "a heartbeat is an empty comment", input: ":\n", comments: []string{""}},
		{name: "one space after the colon is dropped", input: ":  two\n", comments: []string{" two"}},
		{name: "comments come in the order of the stream", input: ": a\r\ndata: x\n: b\r\n\n", comments: []string{"a", "b"}, want: []Event{msg("x", "")}},
		{name: "a comment over the limit is dropped and the stream goes on", input: ": " + long + "\n: short\ndata: y\n\n", comments: []string{"short"}, want: []Event{msg("y", "")}},
		{name: "invalid UTF-8 in a comment is replaced", input: ": \xff\n", comments: []string{"\uFFFD"}},
	}
	for _, tc := range tests {
		for _, f := range feedsOf(tc.input) {
			t.Run(tc.name+"/"+f.name, func(t *testing.T) {
				var got []string
				p := parseAll(t, f.open(), WithMaxEventSize(10), WithComments(func(c string) { got = append(got, c) }))
				if p.err != nil {
					t.Fatalf("error: %v", p.err)
				}
				if !slices.Equal(got, tc.comments) {
					t.Errorf("comments = %q, want %q", got, tc.comments)
				}
				assertEvents(t, p.events, tc.want)
			})
		}
	}
}

// readDropping reads src to its end with a Reader made WithOversizedDropped
// and a limit of 10 bytes, and returns its events and how many errors said
// an event was too large.
func readDropping(t *testing.T, src io.Reader) (events []Event, tooLarge int, r *Reader) {
	t.Helper()
	r = NewReader(src, WithMaxEventSize(10), WithOversizedDropped())
	for range 1000 {
		e, err := r.Next()
		switch {
		case errors.Is(err, io.EOF):
			return events, tooLarge, r
		case errors.Is(err, ErrEventTooLarge):
			tooLarge++
		case err != nil:
			t.Fatalf("error: %v", err)
		default:
			events = append(events, e)
		}
	}
	t.Fatal("the stream did not end after 1000 calls")
	return nil, 0, nil
}

func TestWithOversizedDroppedGoesOnAfterAnEventOverTheLimit(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct {
		name     string
		input    string
		want     []Event
		tooLarge int
		lastID   string
	}{
		{name: "data lines over the limit drop their event only", input: "id: 1\ndata: a\n\nid: 2\ndata: 123456\ndata: 123456\ndata: more\n\nid: 3\ndata: c\n\n", want: []Event{msg("a", "1"), msg("c", "3")}, tooLarge: 1, lastID: "3"},
		{name: "a data line far over the limit drops its event only", input: "data: " + long + "\nevent: big\n\ndata: b\n\n", want: []Event{msg("b", "")}, tooLarge: 1},
		{name: "the id of a dropped event still moves the last event id", input: "data: " + long + "\nid: 7\n\n", tooLarge: 1, lastID: "7"},
		{name: "an id over the limit is dropped and the old id kept", input: "id: 1\ndata: a\n\nid: 12345678901\ndata: b\n\ndata: c\n\n", want: []Event{msg("a", "1"), msg("c", "1")}, tooLarge: 1, lastID: "1"},
		{name: "an event type over the limit drops its event", input: "event: 12345678901\ndata: a\n\ndata: b\n\n", want: []Event{msg("b", "")}, tooLarge: 1},
		{name: "several events over the limit are each reported", input: "data: " + long + "\n\ndata: " + long + "\n\ndata: z\n\n", want: []Event{msg("z", "")}, tooLarge: 2},
	}
	for _, tc := range tests {
		for _, f := range feedsOf(tc.input) {
			t.Run(tc.name+"/"+f.name, func(t *testing.T) {
				events, tooLarge, r := readDropping(t, f.open())
				assertEvents(t, events, tc.want)
				if tooLarge != tc.tooLarge {
					t.Errorf("%d errors said too large, want %d", tooLarge, tc.tooLarge)
				}
				if got := r.LastEventID(); got != tc.lastID {
					t.Errorf("LastEventID = %q, want %q", got, tc.lastID)
				}
			})
		}
	}
}

func TestWithOversizedDroppedKeepsMemoryBounded(t *testing.T) {
	const limit = 1000
	huge := io.LimitReader(&endless{head: "data: ", filler: 'x'}, 20<<20)
	src := io.MultiReader(huge, strings.NewReader("\n\ndata: after\n\n"))
	r := NewReader(src, WithMaxEventSize(limit), WithOversizedDropped())
	if _, err := r.Next(); !errors.Is(err, ErrEventTooLarge) {
		t.Fatalf("first Next error = %v, want ErrEventTooLarge", err)
	}
	e, err := r.Next()
	if err != nil || e != msg("after", "") {
		t.Fatalf("second Next = %q, %v; want the event after the dropped one", e, err)
	}
	if len(r.buf) > limit+len("retry: ")+1 || cap(r.data) > 2*limit+64 {
		t.Errorf("buffers grew to %d and %d bytes for a limit of %d", len(r.buf), cap(r.data), limit)
	}
}
