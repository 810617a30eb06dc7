package sse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"
)

// DefaultMaxEventSize is the size limit of a Reader made without
// WithMaxEventSize: 1 MiB.
const DefaultMaxEventSize = 1 << 20

// ErrEventTooLarge reports a stream whose event data, or one of whose field
// values, is over the Reader's size limit. The Reader stops at the first one,
// unless made WithOversizedDropped.
var ErrEventTooLarge = errors.New("sse: event over the size limit")

// ReaderOption configures a Reader.
type ReaderOption func(*Reader)

// WithMaxEventSize sets the most bytes that the data of one event, or the value
// of any one field, may hold; the default is DefaultMaxEventSize. The data is
// counted as delivered: its lines and the line feeds that join them. Comments
// and fields the parser ignores are not held in memory and so have no limit.
// A Reader's memory stays within a small multiple of n. An n below 1 means the
// default.
func WithMaxEventSize(n int) ReaderOption {
	return func(r *Reader) {
		if n > 0 {
			r.max = n
		}
	}
}

// WithLastEventID starts the stream's last event ID at id instead of the empty
// string, as a client does when it resumes with a Last-Event-ID header: events
// that carry no id of their own then report id, like a browser's do.
func WithLastEventID(id string) ReaderOption {
	return func(r *Reader) {
		r.idBuf = id
		r.lastID = id
	}
}

// Reader reads events from a text/event-stream as the WHATWG HTML standard
// says a browser does, one call to Next at a time. It reads from its source
// only when it holds no complete line, so Next returns an event as soon as the
// blank line that ends it arrives.
//
// A Reader is not safe for concurrent use.
type Reader struct {
	src io.Reader
	max int

	buf        []byte // read buffer: buf[start:end] is not parsed yet
	start, end int
	err        error // the source's error, returned once the buffer holds no line
	fatal      error // an error of the stream itself, returned at once
	started    bool  // the leading byte order mark has been dealt with
	skipLF     bool  // the last line ended in CR, so a LF that follows belongs to it
	skipping   bool  // the current line is ignored: its bytes are dropped as they come
	scanned    int   // bytes from start known to hold no line end
	line       int   // number of lines read, for errors

	data     []byte // the data buffer
	typ      string // the event type buffer
	idBuf    string // the last event ID buffer
	lastID   string // the last event ID string, set when an event is dispatched
	retry    time.Duration
	hasRetry bool
	types    map[string]string // event type names already seen, to reuse their strings

	onComment     func(string) // WithComments's function, or nil
	dropOversized bool         // WithOversizedDropped: an event over the limit is dropped, not fatal
	dropping      bool         // the current event went over the limit: its data and type are dropped
}

// NewReader returns a Reader of the event stream in src.
func NewReader(src io.Reader, opts ...ReaderOption) *Reader {
	r := &Reader{src: src, max: DefaultMaxEventSize}
	for _, o := range opts {
		o(r)
	}
	r.buf = make([]byte, min(initialBufferSize, r.maxLine()+1))
	return r
}

// initialBufferSize is the size of a Reader's buffer until a longer line
// needs more.
const initialBufferSize = 4096

// Next returns the next event of the stream. Its ID is the stream's last
// event ID when the event was dispatched, which is the id of the latest event
// that had one (as MessageEvent.lastEventId) until an empty id field resets it,
// and its Type is "message" unless an event field named another.
//
// At the end of the stream Next returns io.EOF, dropping an event that no
// blank line ended. Other errors are the source's, or ErrEventTooLarge. Once
// Next has returned an error it returns that error again, except for
// ErrEventTooLarge in a Reader made WithOversizedDropped.
func (r *Reader) Next() (Event, error) {
	for {
		line, err := r.readLine()
		if err != nil {
			return Event{}, err
		}
		e, ok, err := r.processLine(line)
		if err != nil {
			return Event{}, r.streamError(err)
		}
		if ok {
			return e, nil
		}
	}
}

// LastEventID returns the stream's last event ID string: the last event ID
// buffer as it was at the latest blank line. A client resumes with it. An id
// field of an event that the stream did not finish is not in it.
func (r *Reader) LastEventID() string { return r.lastID }

// Retry returns the reconnection time that the latest valid retry field set,
// and whether there was one. A retry field takes effect as soon as it is read,
// even in an event that the stream does not finish.
func (r *Reader) Retry() (time.Duration, bool) { return r.retry, r.hasRetry }

// maxLine is the longest line the Reader keeps: a value at the size limit
// after the longest field name, its colon and a space.
func (r *Reader) maxLine() int { return r.max + len("retry: ") }

// readLine returns the next line that the parser does not ignore on sight,
// without its line end. The slice is valid until the next call.
func (r *Reader) readLine() ([]byte, error) {
	if r.fatal != nil {
		return nil, r.fatal
	}
	for {
		if r.prepare() {
			b := r.buf[r.start:r.end]
			if i := lineEnd(b, r.scanned); i >= 0 {
				r.start += i + 1
				r.scanned = 0
				r.skipLF = b[i] == '\r'
				r.line++
				if r.skipping {
					r.skipping = false
					continue
				}
				return b[:i], nil
			}
			r.scanned = len(b)
			if err := r.holdPartial(b); err != nil {
				return nil, r.streamError(err)
			}
		}
		if r.err != nil {
			return nil, r.err
		}
		r.fill()
	}
}

// prepare drops the LF of a CRLF split across reads and a byte order mark at
// the start of the stream. It reports false when it needs more bytes to know.
func (r *Reader) prepare() bool {
	if r.skipLF && r.start < r.end {
		if r.buf[r.start] == '\n' {
			r.start++
		}
		r.skipLF = false
	}
	if r.started {
		return true
	}
	b := r.buf[r.start:r.end]
	n := min(len(b), len(bom))
	switch {
	case !bytes.Equal(b[:n], bom[:n]):
		r.started = true
	case n == len(bom):
		r.start += n
		r.started = true
	case r.err != nil:
		r.started = true // the stream ended inside what could have been a BOM
	}
	return r.started
}

// bom is U+FEFF in UTF-8. The UTF-8 decode of the stream drops one at its start.
var bom = []byte("\xef\xbb\xbf")

// lineEnd returns the index of the first CR or LF in b at or after from, or
// -1. It looks in windows that grow fourfold, so that finding the end of a
// short line costs little however far the next LF is.
func lineEnd(b []byte, from int) int {
	for w := 128; ; w *= 4 {
		end := min(from+w, len(b))
		win := b[from:end]
		lf := bytes.IndexByte(win, '\n')
		if lf < 0 {
			lf = len(win)
		}
		if cr := bytes.IndexByte(win[:lf], '\r'); cr >= 0 {
			return from + cr
		}
		if lf < len(win) {
			return from + lf
		}
		if end == len(b) {
			return -1
		}
		from = end
	}
}

// holdPartial deals with b, the start of a line whose end has not come yet.
// A line the parser would ignore is dropped as it comes, so that comments and
// unknown fields cost no memory; a line over the limit is an error.
func (r *Reader) holdPartial(b []byte) error {
	if r.skipping || r.ignored(b) {
		r.skipLine()
		return nil
	}
	if len(b) > r.maxLine() {
		name, value := splitField(b)
		r.skipLine() // in case the Reader goes on past the error
		return r.tooLarge(string(name), len(value), r.line+1)
	}
	return nil
}

// skipLine drops the line being read, what has come of it and what is to come.
func (r *Reader) skipLine() {
	r.skipping = true
	r.start, r.scanned = r.end, 0
}

// ignored reports whether the line that starts with b is one the parser
// ignores whatever comes after: a field it does not know, or a comment, unless
// WithComments wants it and it is within the limit.
func (r *Reader) ignored(b []byte) bool {
	head := b[:min(len(b), len("retry:"))] // no field name is longer than retry
	if i := bytes.IndexByte(head, ':'); i >= 0 {
		if i == 0 {
			return r.onComment == nil || len(b) > r.maxLine()
		}
		return !knownField(b[:i])
	}
	return len(b) > len("retry")
}

func knownField(name []byte) bool {
	switch string(name) {
	case "data", "event", "id", "retry":
		return true
	}
	return false
}

// fill reads from the source once into the free end of the buffer, first
// moving the unread bytes to its front and growing it if a line needs it.
func (r *Reader) fill() {
	if r.start > 0 {
		r.end = copy(r.buf, r.buf[r.start:r.end])
		r.start = 0
	}
	if r.end == len(r.buf) {
		grown := make([]byte, min(2*len(r.buf), r.maxLine()+1))
		copy(grown, r.buf[:r.end])
		r.buf = grown
	}
	for range maxEmptyReads {
		n, err := r.src.Read(r.buf[r.end:])
		r.end += n
		if err != nil {
			r.err = err
			return
		}
		if n > 0 {
			return
		}
	}
	r.err = io.ErrNoProgress
}

// maxEmptyReads is how many times in a row the source may return no bytes and
// no error before the Reader gives up with io.ErrNoProgress.
const maxEmptyReads = 100

// tooLarge returns the error for a field value of n bytes at line number
// line, or for an event's data of n bytes when field is "data".
func (r *Reader) tooLarge(field string, n, line int) error {
	what := fmt.Sprintf("the %q field's value", field)
	if field == "data" {
		what = "the event's data"
	}
	return fmt.Errorf("%w: at line %d %s reached %d bytes, over the limit of %d (see WithMaxEventSize)",
		ErrEventTooLarge, line, what, n, r.max)
}
