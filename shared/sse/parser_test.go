package sse

import (
	"math"
	"testing"
	"time"
)

// msg returns a dispatched event of the default type.
func msg(data, id string) Event { return Event{ID: id, Type: "message", Data: data} }

// specCases are the rules of the WHATWG HTML "Server-sent events" parsing
// algorithm, one or more cases each.
var specCases = []struct {
	name     string
	input    string
	opts     []ReaderOption
	want     []Event
	lastID   string
	retry    time.Duration
	hasRetry bool
}{
	// The byte order mark.
	{name: "a leading byte order mark is stripped", input: "\xef\xbb\xbfdata: a\n\n", want: []Event{msg("a", "")}},
	{name: "only one leading byte order mark is stripped", input: "\xef\xbb\xbf\xef\xbb\xbfdata: a\n\ndata: b\n\n", want: []Event{msg("b", "")}},
	{name: "a byte order mark after the start is part of a field name", input: "data: a\n\n\xef\xbb\xbfdata: b\n\n", want: []Event{msg("a", "")}},
	{name: "the start of a byte order mark is part of the first line", input: "\xef\xbbdata: a\n\ndata: b\n\n", want: []Event{msg("b", "")}},
	{name: "a stream of only a byte order mark has no event", input: "\xef\xbb\xbf"},

	// Line ends.
	{name: "LF ends a line", input: "data: a\ndata: b\n\n", want: []Event{msg("a\nb", "")}},
	{name: "CR ends a line", input: "data: a\rdata: b\r\r", want: []Event{msg("a\nb", "")}},
	{name: "CRLF ends a line", input: "data: a\r\ndata: b\r\n\r\n", want: []Event{msg("a\nb", "")}},
	{name: "CR CR is two line ends", input: "data: a\r\rdata: b\r\r", want: []Event{msg("a", ""), msg("b", "")}},
	{name: "LF CR is two line ends", input: "data: a\n\rdata: b\n\n", want: []Event{msg("a", ""), msg("b", "")}},
	{name: "CRLF CRLF dispatches", input: "data: a\r\n\r\ndata: b\r\n\r\n", want: []Event{msg("a", ""), msg("b", "")}},
	{name: "mixed line ends each end one line", input: "data: a\r\ndata: b\ndata: c\rdata: d\n\r\n", want: []Event{msg("a\nb\nc\nd", "")}},
	{name: "blank lines with no event before them dispatch nothing", input: "\n\r\n\rdata: a\n\n\n\n", want: []Event{msg("a", "")}},

	// Comments and field names.
	{name: "a comment is ignored", input: ": hello\ndata: a\n: world\n\n", want: []Event{msg("a", "")}},
	{name: "a line of only a colon is a comment", input: ":\ndata: a\n:\n\n", want: []Event{msg("a", "")}},
	{name: "a comment alone dispatches nothing", input: ": ping\n\n:\n\n"},
	{name: "a comment may hold NUL and CR-free bytes", input: ":\x00\xff\ndata: a\n\n", want: []Event{msg("a", "")}},
	{name: "an unknown field is ignored", input: "foo: bar\ndata: a\nfoo\n\n", want: []Event{msg("a", "")}},
	{name: "field names are case-sensitive", input: "Data: a\nDATA: b\n\n"},
	{name: "a space before the colon is part of the field name", input: "data : a\n\n"},
	{name: "a line with no colon is a field name with an empty value", input: "data\n\n", want: []Event{msg("", "")}},
	{name: "a line with no colon is a field name even with spaces", input: "data a\n\n"},

	// Values.
	{name: "exactly one leading space is removed", input: "data:  a\n\n", want: []Event{msg(" a", "")}},
	{name: "a value with no space after the colon is kept whole", input: "data:a\n\n", want: []Event{msg("a", "")}},
	{name: "a tab after the colon is kept", input: "data:\ta\n\n", want: []Event{msg("\ta", "")}},
	{name: "trailing spaces are kept", input: "data: a \n\n", want: []Event{msg("a ", "")}},
	{name: "a colon in the value is kept", input: "data: a: b\n\n", want: []Event{msg("a: b", "")}},
	{name: "NUL in data is delivered", input: "data: a\x00b\n\n", want: []Event{msg("a\x00b", "")}},
	{name: "non-ASCII text is delivered as it is", input: "data: héllo ✓ 😀\n\n", want: []Event{msg("héllo ✓ 😀", "")}},
	{name: "an invalid byte in data becomes U+FFFD", input: "data: a\xffb\n\n", want: []Event{msg("a\ufffdb", "")}},
	{name: "a truncated sequence in data becomes one U+FFFD", input: "data: \xe2\x82z\n\n", want: []Event{msg("\ufffdz", "")}},
	{name: "an encoded surrogate becomes one U+FFFD per byte", input: "data: \xed\xa0\x80\n\n", want: []Event{msg("\ufffd\ufffd\ufffd", "")}},

	// Data.
	{name: "data lines are joined with LF", input: "data: a\ndata: b\ndata: c\n\n", want: []Event{msg("a\nb\nc", "")}},
	{name: "an empty data field dispatches an event with empty data", input: "data:\n\n", want: []Event{msg("", "")}},
	{name: "two empty data fields give one LF", input: "data\ndata:\n\n", want: []Event{msg("\n", "")}},
	{name: "an empty data line at the end adds a LF", input: "data: a\ndata:\n\n", want: []Event{msg("a\n", "")}},
	{name: "an event with no data field is not dispatched", input: "event: x\nid: 1\n\ndata: a\n\n", want: []Event{msg("a", "1")}, lastID: "1"},
	{name: "many events in one read are all returned", input: "data: 1\n\ndata: 2\n\ndata: 3\n\n", want: []Event{msg("1", ""), msg("2", ""), msg("3", "")}},

	// Event types.
	{name: "the event type defaults to message", input: "data: a\n\n", want: []Event{msg("a", "")}},
	{name: "an event field sets the type", input: "event: tick\ndata: a\n\n", want: []Event{{Type: "tick", Data: "a"}}},
	{name: "the event type resets after each event", input: "event: tick\ndata: a\n\ndata: b\n\n", want: []Event{{Type: "tick", Data: "a"}, msg("b", "")}},
	{name: "the event type resets at a blank line with no data", input: "event: tick\n\ndata: a\n\n", want: []Event{msg("a", "")}},
	{name: "an empty event field gives the default type", input: "event:\ndata: a\n\n", want: []Event{msg("a", "")}},
	{name: "the last event field wins", input: "event: a\nevent: b\ndata: x\n\n", want: []Event{{Type: "b", Data: "x"}}},
	{name: "an event type may be message itself", input: "event: message\ndata: x\n\n", want: []Event{msg("x", "")}},
	{name: "an event type keeps its spaces after the first", input: "event:  x \ndata: y\n\n", want: []Event{{Type: " x ", Data: "y"}}},

	// Ids.
	{name: "an id is reported by its event", input: "id: 1\ndata: a\n\n", want: []Event{msg("a", "1")}, lastID: "1"},
	{name: "an id after the data counts for the event", input: "data: a\nid: 1\n\n", want: []Event{msg("a", "1")}, lastID: "1"},
	{name: "the last event ID is carried by later events", input: "id: 1\ndata: a\n\ndata: b\n\n", want: []Event{msg("a", "1"), msg("b", "1")}, lastID: "1"},
	{name: "an empty id field resets the last event ID", input: "id: 1\ndata: a\n\nid:\ndata: b\n\n", want: []Event{msg("a", "1"), msg("b", "")}},
	{name: "an id field with no colon resets the last event ID", input: "id: 1\ndata: a\n\nid\ndata: b\n\n", want: []Event{msg("a", "1"), msg("b", "")}},
	{name: "an id containing NUL is ignored", input: "id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n", want: []Event{msg("a", "1"), msg("b", "1")}, lastID: "1"},
	{name: "an id of only NUL is ignored and does not reset", input: "id: 1\ndata: a\n\nid: \x00\ndata: b\n\n", want: []Event{msg("a", "1"), msg("b", "1")}, lastID: "1"},
	{name: "the last id field of an event wins", input: "id: 1\nid: 2\ndata: a\n\n", want: []Event{msg("a", "2")}, lastID: "2"},
	{name: "an id keeps its spaces after the first", input: "id:  7 \ndata: a\n\n", want: []Event{msg("a", " 7 ")}, lastID: " 7 "},
	{name: "an invalid byte in an id becomes U+FFFD", input: "id: \xff\ndata: a\n\n", want: []Event{msg("a", "\ufffd")}, lastID: "\ufffd"},
	{name: "an id with no data is committed at the blank line", input: "data: a\n\nid: 7\n\n", want: []Event{msg("a", "")}, lastID: "7"},
	{name: "an id of an unfinished event is not committed", input: "id: 1\ndata: a\n\nid: 2\ndata: b\n", want: []Event{msg("a", "1")}, lastID: "1"},
	{name: "an id after the last blank line is not committed", input: "id: 1\ndata: a\n\nid: 2", want: []Event{msg("a", "1")}, lastID: "1"},
	{name: "a starting last event ID is reported until an id field", input: "data: a\n\nid: 9\ndata: b\n\n", opts: []ReaderOption{WithLastEventID("5")}, want: []Event{msg("a", "5"), msg("b", "9")}, lastID: "9"},
	{name: "a starting last event ID is reset by an empty id", input: "id\ndata: a\n\n", opts: []ReaderOption{WithLastEventID("5")}, want: []Event{msg("a", "")}},
	{name: "a starting last event ID stays when nothing is dispatched", input: "", opts: []ReaderOption{WithLastEventID("5")}, lastID: "5"},

	// Retry.
	{name: "a retry of digits sets the reconnection time", input: "retry: 1500\n", retry: 1500 * time.Millisecond, hasRetry: true},
	{name: "a retry is base ten despite leading zeros", input: "retry: 0100\n", retry: 100 * time.Millisecond, hasRetry: true},
	{name: "a retry of zero is valid", input: "retry: 0\n", retry: 0, hasRetry: true},
	{name: "a retry with a letter is ignored", input: "retry: 1e3\n"},
	{name: "a negative retry is ignored", input: "retry: -1\n"},
	{name: "a retry with a decimal point is ignored", input: "retry: 1.5\n"},
	{name: "a retry with a second leading space is ignored", input: "retry:  100\n"},
	{name: "a retry with a trailing space is ignored", input: "retry: 100 \n"},
	{name: "a retry with non-ASCII digits is ignored", input: "retry: １００\n"},
	{name: "an empty retry is ignored", input: "retry:\nretry\n"},
	{name: "an invalid retry keeps the earlier one", input: "retry: 10\nretry: x\n", retry: 10 * time.Millisecond, hasRetry: true},
	{name: "the latest valid retry wins", input: "retry: 10\nretry: 20\n", retry: 20 * time.Millisecond, hasRetry: true},
	{name: "a retry takes effect in an unfinished event", input: "retry: 10\ndata: a", retry: 10 * time.Millisecond, hasRetry: true},
	{name: "a retry does not dispatch", input: "retry: 10\n\n", retry: 10 * time.Millisecond, hasRetry: true},
	{name: "a retry too large for a Duration gives the longest", input: "retry: 99999999999999999999999\n", retry: math.MaxInt64, hasRetry: true},

	// The end of the stream.
	{name: "an empty stream has no event", input: ""},
	{name: "an unfinished event is discarded", input: "data: a\n\ndata: b\n", want: []Event{msg("a", "")}},
	{name: "an unfinished line is discarded", input: "data: a"},
	{name: "an event ended by one line end only is discarded", input: "data: a\r"},
}

func TestReaderSpec(t *testing.T) {
	for _, tc := range specCases {
		for _, f := range append(feedsOf(tc.input), splitFeeds(tc.input)...) {
			t.Run(tc.name+"/"+f.name, func(t *testing.T) {
				got := parseAll(t, f.open(), tc.opts...)
				if got.err != nil {
					t.Fatalf("error: %v", got.err)
				}
				assertEvents(t, got.events, tc.want)
				if got.lastID != tc.lastID {
					t.Errorf("last event ID = %q, want %q", got.lastID, tc.lastID)
				}
				if got.retry != tc.retry || got.hasRetry != tc.hasRetry {
					t.Errorf("retry = %v (set %v), want %v (set %v)", got.retry, got.hasRetry, tc.retry, tc.hasRetry)
				}
			})
		}
	}
}
