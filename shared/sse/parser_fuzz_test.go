package sse

import (
	"bytes"
	"errors"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzRoundTrip encodes two events with AppendEvent, a comment and a retry
// between them, parses the stream back in reads of a fuzzed size and demands
// the same events, as a browser would see them.
func FuzzRoundTrip(f *testing.F) {
	f.Add("1", "notification", `{"user":"a","message":"b"}`, "", "", "line one\nline two", uint8(0))
	f.Add("", "", "", "2", "x", "a\r\nb\rc\n", uint8(3))
	f.Add(" 7 ", " tick ", "  two spaces", "é", "✓", "\xff\xe2\x82", uint8(1))
	f.Add("bad\nid", "t", "d", "ok", "bad\x00type", "d", uint8(7))
	f.Fuzz(func(t *testing.T, id1, typ1, data1, id2, typ2, data2 string, chunk uint8) {
		in := []Event{{ID: id1, Type: typ1, Data: data1}, {ID: id2, Type: typ2, Data: data2}}
		stream, want := encodeForRoundTrip(t, in)
		got := parseAll(t, &fixedReader{b: stream, n: int(chunk)%16 + 1})
		if got.err != nil {
			t.Fatalf("parse %q: %v", stream, got.err)
		}
		if !slices.Equal(got.events, want) {
			t.Fatalf("parse %q:\n got %q\nwant %q", stream, got.events, want)
		}
		if !got.hasRetry || got.retry != 1500*time.Millisecond {
			t.Fatalf("parse %q: retry = %v (set %v), want 1.5s", stream, got.retry, got.hasRetry)
		}
	})
}

// encodeForRoundTrip encodes the events that AppendEvent accepts and returns
// the stream and the events a reader of it must see.
func encodeForRoundTrip(t *testing.T, in []Event) ([]byte, []Event) {
	stream := AppendRetry(nil, 1500*time.Millisecond)
	var want []Event
	lastID := ""
	for _, e := range in {
		var err error
		before := len(stream)
		stream, err = AppendEvent(stream, e)
		if err == nil && EventLen(e) != len(stream)-before {
			t.Fatalf("EventLen(%q) = %d, AppendEvent wrote %d bytes", e, EventLen(e), len(stream)-before)
		}
		if err != nil {
			if !errors.Is(err, ErrInvalidField) || (ValidateID(e.ID) == nil && (e.Type == "" || ValidateType(e.Type) == nil)) {
				t.Fatalf("AppendEvent(%q) = %v, for an event that is valid", e, err)
			}
			continue
		}
		stream = AppendComment(stream, e.Data)
		if e.ID != "" {
			lastID = string(appendText(nil, []byte(e.ID)))
		}
		typ := "message"
		if e.Type != "" {
			typ = string(appendText(nil, []byte(e.Type)))
		}
		data := strings.ReplaceAll(strings.ReplaceAll(e.Data, "\r\n", "\n"), "\r", "\n")
		want = append(want, Event{ID: lastID, Type: typ, Data: string(appendText(nil, []byte(data)))})
	}
	return stream, want
}

// fixedReader returns at most n bytes per Read.
type fixedReader struct {
	b []byte
	n int
}

func (r *fixedReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.n)], r.b)
	r.b = r.b[n:]
	return n, nil
}

// FuzzReader feeds the Reader arbitrary bytes, whole and in reads of a fuzzed
// size, and demands what parseSpec, a line-by-line rendering of the
// standard's algorithm, finds. With a fuzzed small size limit it demands the
// same events up to an ErrEventTooLarge, and memory within the limit.
func FuzzReader(f *testing.F) {
	for _, tc := range specCases {
		f.Add([]byte(tc.input), uint8(1), uint8(8))
	}
	f.Add([]byte("data: a\r\n\r\nid: 1\x00\nretry: 07\revent: e\n:c\ndata\n\n"), uint8(2), uint8(3))
	f.Fuzz(func(t *testing.T, input []byte, chunk, limit uint8) {
		want := parseSpec(input)
		for _, src := range []io.Reader{bytes.NewReader(input), &fixedReader{b: input, n: int(chunk)%16 + 1}} {
			got := parseAll(t, src)
			if got.err != nil {
				t.Fatalf("parse %q: %v", input, got.err)
			}
			if !slices.Equal(got.events, want.events) || got.lastID != want.lastID || got.retry != want.retry || got.hasRetry != want.hasRetry {
				t.Fatalf("parse %q:\n got %q, last id %q, retry %v %v\nwant %q, last id %q, retry %v %v", input,
					got.events, got.lastID, got.retry, got.hasRetry, want.events, want.lastID, want.retry, want.hasRetry)
			}
		}
		checkLimited(t, input, want.events, int(limit)%64+1, int(chunk)%16+1)
	})
}

// checkLimited parses input with a size limit of max: the events must be a
// start of want, and if they are not all of it the error ErrEventTooLarge.
func checkLimited(t *testing.T, input []byte, want []Event, max, chunk int) {
	r := NewReader(&fixedReader{b: input, n: chunk}, WithMaxEventSize(max))
	var got []Event
	for {
		e, err := r.Next()
		if len(r.buf) > r.maxLine()+1 || cap(r.data) > 8*max+64 || len(r.idBuf) > max || len(r.typ) > max {
			t.Fatalf("parse %q with limit %d: buffers grew to %d, %d, %d, %d bytes",
				input, max, len(r.buf), cap(r.data), len(r.idBuf), len(r.typ))
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, ErrEventTooLarge) {
				t.Fatalf("parse %q with limit %d: %v", input, max, err)
			}
			if errors.Is(err, io.EOF) && len(got) != len(want) {
				t.Fatalf("parse %q with limit %d: %d events, want %d", input, max, len(got), len(want))
			}
			break
		}
		got = append(got, e)
		if len(e.Data) > max {
			t.Fatalf("parse %q with limit %d: event data of %d bytes", input, max, len(e.Data))
		}
	}
	if len(got) > len(want) || !slices.Equal(got, want[:len(got)]) {
		t.Fatalf("parse %q with limit %d:\n got %q\nwant a start of %q", input, max, got, want)
	}
}

// parseSpec is the standard's algorithm as written: decode the whole stream,
// split it into lines, and interpret each in turn.
func parseSpec(input []byte) parsed {
	text := decodeUTF8Spec(bytes.TrimPrefix(input, bom))
	var p parsed
	var data strings.Builder
	typ, idBuf := "", ""
	for _, line := range specLines(text) {
		if line == "" {
			p.lastID = idBuf
			if data.Len() > 0 {
				e := Event{ID: idBuf, Type: typ, Data: strings.TrimSuffix(data.String(), "\n")}
				if e.Type == "" {
					e.Type = "message"
				}
				p.events = append(p.events, e)
			}
			data.Reset()
			typ = ""
			continue
		}
		if strings.HasPrefix(line, ":") {
			continue
		}
		name, value, found := strings.Cut(line, ":")
		if found {
			value = strings.TrimPrefix(value, " ")
		}
		switch name {
		case "event":
			typ = value
		case "data":
			data.WriteString(value + "\n")
		case "id":
			if !strings.Contains(value, "\x00") {
				idBuf = value
			}
		case "retry":
			if value != "" && strings.Trim(value, "0123456789") == "" {
				p.retry, p.hasRetry = specRetry(value), true
			}
		}
	}
	return p
}

// specLines splits text at CRLF, LF and CR, and drops the last line if no
// line end follows it.
func specLines(text string) []string {
	var lines []string
	for {
		i := strings.IndexAny(text, "\r\n")
		if i < 0 {
			return lines
		}
		lines = append(lines, text[:i])
		if strings.HasPrefix(text[i:], "\r\n") {
			i++
		}
		text = text[i+1:]
	}
}

func specRetry(digits string) time.Duration {
	ms := 0.0
	for _, c := range digits {
		ms = ms*10 + float64(c-'0')
	}
	if ms*float64(time.Millisecond) >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(ms) * time.Millisecond
}
