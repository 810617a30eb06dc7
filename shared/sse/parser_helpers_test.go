package sse

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// feed is one way of handing a stream to a Reader.
type feed struct {
	name string
	open func() io.Reader
}

// feedsOf returns the ways every test feeds input: whole, one byte per read,
// and with io.EOF on the read that returns the last bytes.
func feedsOf(input string) []feed {
	return []feed{
		{"whole", func() io.Reader { return strings.NewReader(input) }},
		{"byte by byte", func() io.Reader { return iotest.OneByteReader(strings.NewReader(input)) }},
		{"with EOF on the last read", func() io.Reader { return iotest.DataErrReader(strings.NewReader(input)) }},
	}
}

// splitFeeds returns input split in two reads at each byte offset.
func splitFeeds(input string) []feed {
	var fs []feed
	for i := 1; i < len(input); i++ {
		fs = append(fs, feed{fmt.Sprintf("split at byte %d", i), func() io.Reader {
			return &chunkReader{chunks: []string{input[:i], input[i:]}}
		}})
	}
	return fs
}

// chunkReader returns one chunk per Read, as a network connection might.
type chunkReader struct {
	chunks []string
	off    int // bytes of chunks[0] already read
}

func (c *chunkReader) Read(p []byte) (int, error) {
	for len(c.chunks) > 0 && c.off == len(c.chunks[0]) {
		c.chunks, c.off = c.chunks[1:], 0
	}
	if len(c.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.chunks[0][c.off:])
	c.off += n
	return n, nil
}

// parsed is everything a Reader gave for one stream.
type parsed struct {
	events   []Event
	err      error // nil when the stream ended with io.EOF
	lastID   string
	retry    time.Duration
	hasRetry bool
}

// parseAll reads src to its end, with a bound on the number of events so a
// broken Reader cannot loop forever.
func parseAll(t testing.TB, src io.Reader, opts ...ReaderOption) parsed {
	t.Helper()
	r := NewReader(src, opts...)
	var p parsed
	for range 1_000_000 {
		e, err := r.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				p.err = err
			}
			if _, again := r.Next(); again != err {
				t.Errorf("Next after error %v returned %v", err, again)
			}
			p.lastID = r.LastEventID()
			p.retry, p.hasRetry = r.Retry()
			return p
		}
		p.events = append(p.events, e)
	}
	t.Fatal("the stream did not end after a million events")
	return p
}

func assertEvents(t *testing.T, got, want []Event) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("events:\n got %q\nwant %q", got, want)
	}
}
