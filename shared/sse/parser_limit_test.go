package sse

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReaderSizeLimit(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct {
		name    string
		input   string
		want    []Event
		wantErr string // a part of the error; empty for none
	}{
		{name: "data at the limit is delivered", input: "data: 1234567890\n\n", want: []Event{msg("1234567890", "")}},
		{name: "data over the limit is an error", input: "data: a\n\ndata: 12345678901\n\n", want: []Event{msg("a", "")}, wantErr: "at line 3 the event's data reached 11 bytes, over the limit of 10"},
		{name: "data lines at the limit together are delivered", input: "data: 1234\ndata: 12345\n\n", want: []Event{msg("1234\n12345", "")}},
		{name: "data lines over the limit together are an error", input: "data: 12345\ndata: 12345\n\n", wantErr: "at line 2 the event's data reached 11 bytes"},
		{name: "a data line far over the limit is an error before it ends", input: "data: " + long + "\n\n", wantErr: "at line 1 the event's data"},
		{name: "data that grows in decoding counts decoded", input: "data: \xff\xff\xff\xff\n\n", wantErr: "the event's data reached 12 bytes"},
		{name: "an id over the limit is an error", input: "id: 12345678901\ndata: a\n\n", wantErr: `at line 1 the "id" field's value reached 11 bytes`},
		{name: "an event type over the limit is an error", input: "event: 12345678901\ndata: a\n\n", wantErr: `the "event" field's value reached 11 bytes`},
		{name: "a long comment is no error", input: ": " + long + "\ndata: a\n\n", want: []Event{msg("a", "")}},
		{name: "a long unknown field is no error", input: "foo: " + long + "\r\ndata: a\n\n", want: []Event{msg("a", "")}},
		{name: "a long line with no colon is no error", input: long + "\rdata: a\n\n", want: []Event{msg("a", "")}},
		{name: "a retry line far over the limit is an error", input: "retry: 1x" + long + "\ndata: a\n\n", wantErr: `the "retry" field's value`},
	}
	for _, tc := range tests {
		for _, f := range feedsOf(tc.input) {
			t.Run(tc.name+"/"+f.name, func(t *testing.T) {
				got := parseAll(t, f.open(), WithMaxEventSize(10))
				assertEvents(t, got.events, tc.want)
				switch {
				case tc.wantErr == "" && got.err != nil:
					t.Fatalf("error: %v", got.err)
				case tc.wantErr == "":
				case !errors.Is(got.err, ErrEventTooLarge):
					t.Fatalf("error = %v, want ErrEventTooLarge", got.err)
				case !strings.Contains(got.err.Error(), tc.wantErr):
					t.Errorf("error = %q, want it to say %q", got.err, tc.wantErr)
				}
			})
		}
	}
}

// endless is a source that repeats a line start and then its filler for ever,
// counting the bytes read.
type endless struct {
	head   string
	filler byte
	n      int64
}

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		if e.n < int64(len(e.head)) {
			p[i] = e.head[e.n]
		} else {
			p[i] = e.filler
		}
		e.n++
	}
	return len(p), nil
}

func TestReaderMemoryIsBounded(t *testing.T) {
	const limit = 1000
	t.Run("an endless data line is refused after little more than the limit", func(t *testing.T) {
		src := &endless{head: "data: ", filler: 'x'}
		r := NewReader(src, WithMaxEventSize(limit))
		if _, err := r.Next(); !errors.Is(err, ErrEventTooLarge) {
			t.Fatalf("error = %v, want ErrEventTooLarge", err)
		}
		if src.n > 2*limit+initialBufferSize {
			t.Errorf("read %d bytes before refusing a line over %d", src.n, limit)
		}
	})
	t.Run("an endless comment is read without holding it", func(t *testing.T) {
		src := io.LimitReader(&endless{head: ":", filler: 'x'}, 50<<20)
		tail := strings.NewReader("\ndata: a\n\n")
		r := NewReader(io.MultiReader(src, tail), WithMaxEventSize(limit))
		e, err := r.Next()
		if err != nil || e != msg("a", "") {
			t.Fatalf("Next = %q, %v; want the event after the comment", e, err)
		}
		if len(r.buf) > limit+len("retry: ")+1 {
			t.Errorf("buffer grew to %d bytes for a limit of %d", len(r.buf), limit)
		}
	})
	t.Run("endless data lines are refused once they add up to the limit", func(t *testing.T) {
		src := io.LimitReader(&endless{filler: '\n', head: strings.Repeat("data\n", 10_000)}, 1<<20)
		r := NewReader(src, WithMaxEventSize(limit))
		if _, err := r.Next(); !errors.Is(err, ErrEventTooLarge) {
			t.Fatalf("error = %v, want ErrEventTooLarge", err)
		}
		if cap(r.data) > 2*limit+64 {
			t.Errorf("data buffer grew to %d bytes for a limit of %d", cap(r.data), limit)
		}
	})
}

func TestReaderErrors(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		src     io.Reader
		want    []Event
		wantErr error
	}{
		{name: "an error of the source comes after the events before it", src: io.MultiReader(strings.NewReader("data: a\n\ndata: b\n"), iotest.ErrReader(boom)), want: []Event{msg("a", "")}, wantErr: boom},
		{name: "a source that returns no bytes again and again is an error", src: emptyReader{}, wantErr: io.ErrNoProgress},
		{name: "a timeout of the source is returned as it is", src: iotest.TimeoutReader(strings.NewReader("data: a\n\ndata: b\n\n")), want: []Event{msg("a", ""), msg("b", "")}, wantErr: iotest.ErrTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := parseAll(t, tc.src)
			assertEvents(t, got.events, tc.want)
			if !errors.Is(got.err, tc.wantErr) {
				t.Errorf("error = %v, want %v", got.err, tc.wantErr)
			}
		})
	}
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

func TestWithMaxEventSizeIgnoresNonPositive(t *testing.T) {
	for _, n := range []int{0, -1} {
		if r := NewReader(nil, WithMaxEventSize(n)); r.max != DefaultMaxEventSize {
			t.Errorf("WithMaxEventSize(%d) set the limit to %d, want the default", n, r.max)
		}
	}
}
