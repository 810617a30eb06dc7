package server

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/heraldhq/herald/server/engine"
	"github.com/heraldhq/herald/server/gzipwire"
	"github.com/heraldhq/herald/server/internal/transport"
	"github.com/heraldhq/herald/shared/sse"
)

// stream is one event stream once its headers are sent. While it is live,
// something writes for it only when there is something to write: frames its
// subscriber queued, a heartbeat, or its end. A stream taken from net/http
// (see hijack) then gets a turn in the writer pool, and an idle one holds no
// goroutine and no buffer; any other stream is written by its handler.
type stream struct {
	srv        *Server
	c          *counters
	sub        *engine.Subscriber
	w          *transport.Response // the preamble, and the handler's writes
	conn       *transport.Conn     // the connection, once taken from net/http
	release    func()              // frees the stream's place under the connection limits, and forgets its session
	expires    time.Time           // when the stream ends with its session; zero: never
	closeClass func()              // counts the stream closed in its topic classes
	wake       chan struct{}       // signalled when work arrives for a stream in its handler

	buf       []byte       // the preamble, while the handler writes it
	gzip      bool         // the stream is sent gzipped: its frames' pieces
	sum       gzipwire.Sum // of what a gzip stream sent, uncompressed
	counted   uint32       // the uncompressed bytes of a gzip stream counted in Stats, modulo 2^32
	skip      uint64       // frames up to this sequence number are not written
	lastWrite atomic.Int64
	heartbeat *time.Timer
	lifetime  *time.Timer // the end of the stream's lifetime or of its session
	wasCut    atomic.Bool // the drain's deadline passed: the stream ends as shut down
}

// openStream counts a new stream of sn's subscriber, admitted as a, and
// returns it, writing to w.
// The stream is sent gzipped when gzip is set.
func (s *Server) openStream(w http.ResponseWriter, sn *engine.Subscription, topics []string, a admission, gzip bool) *stream {
	s.counters.opened.Add(1)
	s.counters.streams.Add(1)
	return &stream{
		srv: s, c: &s.counters, sub: sn.Subscriber, skip: sn.Skip, gzip: gzip,
		w:          transport.NewResponse(w, s.cfg.WriteTimeout),
		release:    a.release,
		expires:    a.expires,
		closeClass: s.counters.streamOpened(topics),
	}
}

// live starts the stream's heartbeats and the timer of its end (its
// lifetime, or its session's expiry) and makes it one that Drain ends. A
// stream taken from net/http then gets its first turn in the writer pool,
// for what was queued meanwhile, and live returns; any other is written by
// live itself until it ends or ctx is done.
func (st *stream) live(ctx context.Context) {
	st.lastWrite.Store(clock())
	st.heartbeat = startTimer(st.srv.cfg.Heartbeat, st.beat)
	if d, n, ok := st.endsIn(); ok {
		st.lifetime = startTimer(d, func() { st.sub.Signal(n) })
	}
	if !st.srv.live.add(st) {
		st.sub.Signal(engine.NoteShutdown)
	}
	if st.conn != nil {
		st.sub.Live(func() { writers.schedule(st) })
		writers.schedule(st)
		return
	}
	st.wake = make(chan struct{}, 1)
	st.sub.Live(func() {
		select {
		case st.wake <- struct{}{}:
		default:
		}
	})
	st.serve(ctx)
}

// endsIn returns when the stream must end from now, and the note that ends
// it: at its maximum lifetime (jittered), or when its session expires,
// whichever comes first. ok is false when neither applies.
func (st *stream) endsIn() (d time.Duration, n engine.Note, ok bool) {
	if lifetime := st.srv.cfg.MaxLifetime; lifetime > 0 {
		d, n, ok = jitterDown(lifetime), engine.NoteLifetime, true
	}
	if !st.expires.IsZero() {
		if left := time.Until(st.expires); !ok || left < d {
			d, n, ok = left, engine.NoteSessionEnded, true
		}
	}
	return d, n, ok
}

// startTimer returns a timer that calls f after d, assigned before f can
// run, so that f may reset it.
func startTimer(d time.Duration, f func()) *time.Timer {
	t := time.AfterFunc(math.MaxInt64, f)
	t.Reset(d)
	return t
}

// serve writes for a stream that stays in its handler, until it ends.
func (st *stream) serve(ctx context.Context) {
	var spare []*engine.Frame
	for {
		for {
			w, ok := st.sub.Take(spare)
			if !ok {
				break
			}
			spare = w.Frames[:0]
			if reason, end := st.writeWork(w); end {
				st.finish(reason)
				return
			}
		}
		select {
		case <-st.wake:
		case <-ctx.Done():
			st.sub.Signal(engine.NoteGone)
		}
	}
}

// writeWork writes w through the handler and reports whether the stream
// ends, and why.
func (st *stream) writeWork(w engine.Work) (reason closeReason, end bool) {
	if reason, end := ends(w); end {
		return reason, true
	}
	bp := getBuf()
	defer putBuf(bp)
	*bp, reason, end = st.collect(*bp, w)
	if err := st.w.Write(*bp); err != nil {
		return writeFailure(err), true
	}
	st.wrote(len(*bp) - transport.ChunkRoom)
	return reason, end
}

// turn is the stream's turn in the writer pool: it takes what the subscriber
// has for the stream, giving it spare, and writes it with buf, without
// waiting on the client. It returns buf emptied and the next spare. The
// stream goes back in the queue until a turn finds nothing to do.
func (st *stream) turn(buf []byte, spare []*engine.Frame) ([]byte, []*engine.Frame) {
	w, ok := st.sub.Take(spare)
	if !ok {
		return buf, spare
	}
	spare = w.Frames[:0]
	if reason, end := ends(w); end {
		st.finish(reason)
		return buf, spare
	}
	buf, reason, end := st.collect(buf, w)
	payload := len(buf) - transport.ChunkRoom
	out := st.conn.Frame(buf, end)
	n, err := st.conn.TryWrite(out)
	switch {
	case err != nil:
		st.finish(writeFailure(err))
	case n < len(out):
		rest := append(make([]byte, 0, len(out)-n), out[n:]...)
		go st.writeRest(rest, payload, reason, end)
	default:
		st.wrote(payload)
		st.next(reason, end)
	}
	return buf[:transport.ChunkRoom], spare
}

// writeRest writes what a turn could not, waiting for the client within the
// write timeout, then gives the stream its next turn.
func (st *stream) writeRest(rest []byte, payload int, reason closeReason, end bool) {
	if err := st.conn.Write(rest); err != nil {
		st.finish(writeFailure(err))
		return
	}
	st.wrote(payload)
	st.next(reason, end)
}

// next ends the stream for reason if end is set, and otherwise queues it for
// another turn.
func (st *stream) next(reason closeReason, end bool) {
	if end {
		st.finish(reason)
		return
	}
	writers.schedule(st)
}

// ends reports whether w ends the stream before any write: an overflowed
// queue or a client gone.
func ends(w engine.Work) (reason closeReason, end bool) {
	switch {
	case w.Overflowed:
		return closedSlowConsumer, true
	case w.Notes&engine.NoteGone != 0:
		return closedClientGone, true
	}
	return 0, false
}

// collect appends to buf what w has to write: its frames, then a heartbeat,
// or the retry that ends the stream. It clears the frames of w, and reports
// whether the stream ends after the write, and why.
func (st *stream) collect(buf []byte, w engine.Work) (_ []byte, reason closeReason, end bool) {
	frames := st.skipSent(w.Frames)
	st.c.sent(frames)
	for _, f := range frames {
		buf = st.appendFrame(buf, f)
	}
	clear(w.Frames)
	var retry time.Duration
	switch {
	case w.Notes&engine.NoteShutdown != 0:
		retry, reason, end = st.srv.drainRetry(), closedShutdown, true
	case w.Notes&engine.NoteSessionEnded != 0:
		retry, reason, end = st.srv.soonRetry(), closedSessionEnded, true
	case w.Notes&engine.NoteLifetime != 0:
		retry, reason, end = st.srv.soonRetry(), closedLifetime, true
	case w.Notes&engine.NoteBeat != 0 && len(buf) == transport.ChunkRoom:
		return st.appendText(buf, heartbeat, false), 0, false
	default:
		return buf, 0, false
	}
	var text [32]byte
	return st.appendText(buf, append(sse.AppendRetry(text[:0], retry), '\n'), true), reason, true
}

// heartbeat is the comment line that keeps an idle stream open.
var heartbeat = append(sse.AppendComment(nil, ""), '\n')

// appendFrame appends f to buf: its wire, or for a gzip stream its
// compressed twin, made once for every stream.
func (st *stream) appendFrame(buf []byte, f *engine.Frame) []byte {
	if !st.gzip {
		return append(buf, f.Wire()...)
	}
	p := f.Gzip()
	st.sum = st.sum.AddPiece(p)
	return append(buf, p.Bytes()...)
}

// appendText appends to buf the bytes of the stream's own, such as its
// retry, which last ends it. A gzip stream sends them in stored blocks,
// which need no compressor, and ends with its trailer.
func (st *stream) appendText(buf, text []byte, last bool) []byte {
	if !st.gzip {
		return append(buf, text...)
	}
	st.sum = st.sum.Add(text)
	if last {
		return gzipwire.AppendEnd(buf, st.sum, text)
	}
	if len(text) == 0 {
		return buf
	}
	return gzipwire.AppendStored(buf, text, false)
}

// send writes buf[transport.ChunkRoom:] through the handler, for the preamble.
func (st *stream) send(buf []byte) error {
	if err := st.w.Write(buf); err != nil {
		return err
	}
	st.wrote(len(buf) - transport.ChunkRoom)
	return nil
}

// wrote counts n bytes written, and what they were before compression,
// and the time for heartbeats.
func (st *stream) wrote(n int) {
	st.c.written.Add(uint64(n))
	raw := uint64(n)
	if st.gzip {
		size := st.sum.Size()
		raw, st.counted = uint64(size-st.counted), size
	}
	st.c.uncompressed.Add(raw)
	st.lastWrite.Store(clock())
}

// beat asks for a heartbeat once the stream has been quiet for a heartbeat
// period, and sets itself to run again a period after the last write.
func (st *stream) beat() {
	period := st.srv.cfg.Heartbeat
	quiet := time.Duration(clock() - st.lastWrite.Load())
	if quiet < period {
		if !st.sub.Ended() {
			st.heartbeat.Reset(period - quiet)
		}
		return
	}
	if st.sub.Signal(engine.NoteBeat) {
		st.heartbeat.Reset(period)
	}
}

// cut ends the stream at the drain's deadline: it closes the connection of
// a stream taken from net/http, which fails a write waiting for the client
// and so ends the stream at once. A stream in its handler ends when
// net/http closes its connection.
func (st *stream) cut() {
	st.wasCut.Store(true)
	if st.conn != nil {
		st.conn.Close()
	}
}

// finish ends the stream, once, for reason: it closes the connection and
// the subscription, frees the stream's place and counts it closed. A stream
// that was cut counts as shut down, whatever failed.
func (st *stream) finish(reason closeReason) {
	if st.wasCut.Load() {
		reason = closedShutdown
	}
	st.srv.hub.Unsubscribe(st.sub)
	if st.heartbeat != nil {
		st.heartbeat.Stop()
	}
	if st.lifetime != nil {
		st.lifetime.Stop()
	}
	if st.conn != nil {
		st.conn.Close()
	}
	st.c.closed[reason].Add(1)
	st.c.streams.Add(-1)
	st.closeClass()
	st.release()
	st.srv.live.remove(st)
}

// hijack takes the stream's connection from net/http, after the response
// header and the preamble, when it can: the stream then writes HTTP/1.1
// chunks to the connection itself. Otherwise it stays in the handler.
func (st *stream) hijack(w http.ResponseWriter) {
	conn, err := transport.Hijack(w, st.srv.cfg.WriteTimeout, func() { st.sub.Signal(engine.NoteGone) })
	if err != nil {
		return
	}
	st.conn = conn
	st.w = nil // nothing of net/http's is kept
}

// clockStart is the origin of clock.
var clockStart = time.Now()

// clock returns a monotonic time in nanoseconds.
func clock() int64 { return int64(time.Since(clockStart)) }

// The sizes of write buffers.
const (
	// writeChunk is the size at which a replay is written out, so that it
	// does not sit in memory whole.
	writeChunk = 64 << 10
	// maxKeptBuf is the largest write buffer kept for reuse.
	maxKeptBuf = 256 << 10
)

// writeBufs are write buffers, shared by the streams that are writing.
var writeBufs = sync.Pool{New: func() any {
	b := make([]byte, transport.ChunkRoom, 4<<10)
	return &b
}}

// getBuf returns an empty write buffer, with its transport.ChunkRoom.
func getBuf() *[]byte {
	bp := writeBufs.Get().(*[]byte)
	*bp = (*bp)[:transport.ChunkRoom]
	return bp
}

// putBuf gives back a buffer from getBuf, unless it grew too big to keep.
func putBuf(bp *[]byte) {
	if cap(*bp) <= maxKeptBuf {
		writeBufs.Put(bp)
	}
}

// writeFailure returns the close reason of a failed write.
func writeFailure(err error) closeReason {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return closedWriteTimeout
	}
	return closedClientGone
}

// jitterDown returns d less up to a quarter of it, at random, so that streams
// opened together do not all end together.
func jitterDown(d time.Duration) time.Duration {
	if q := d / 4; q > 0 {
		return d - rand.N(q)
	}
	return d
}

// skipSent drops from frames, in place, those up to skip, which the client
// already has; it stops looking once a frame is past skip.
func (st *stream) skipSent(frames []*engine.Frame) []*engine.Frame {
	if st.skip == 0 {
		return frames
	}
	n := 0
	for _, f := range frames {
		if f.Seq() > st.skip {
			frames[n] = f
			n++
		}
	}
	clear(frames[n:])
	if n > 0 {
		st.skip = 0
	}
	return frames[:n]
}

// appendChunked appends f to buf and writes buf out once it reaches
// writeChunk, so a long replay does not sit in memory whole.
func (st *stream) appendChunked(f *engine.Frame) error {
	st.buf = st.appendFrame(st.buf, f)
	if len(st.buf) < writeChunk {
		return nil
	}
	err := st.send(st.buf)
	st.buf = st.buf[:transport.ChunkRoom]
	return err
}
