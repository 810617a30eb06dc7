package server

import (
	"context"
	"math"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

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
	sub        *subscriber
	w          *responseSink // the preamble, and the handler's writes
	conn       *connSink     // the connection, once taken from net/http
	release    func()        // frees the stream's place under the connection limits, and forgets its session
	expires    time.Time     // when the stream ends with its session; zero: never
	closeClass func()        // counts the stream closed in its topic classes
	wake       chan struct{} // signalled when work arrives for a stream in its handler

	buf       []byte // the preamble, while the handler writes it
	skip      uint64 // frames up to this sequence number are not written
	lastWrite atomic.Int64
	heartbeat *time.Timer
	lifetime  *time.Timer // the end of the stream's lifetime or of its session
}

// openStream counts a new stream of sn's subscriber, admitted as a, and
// returns it, writing to w.
func (s *Server) openStream(w http.ResponseWriter, sn subscription, topics []string, a admission) *stream {
	s.counters.opened.Add(1)
	s.counters.streams.Add(1)
	return &stream{
		srv: s, c: &s.counters, sub: sn.sub, skip: sn.skip,
		w:          &responseSink{w: w, rc: http.NewResponseController(w), timeout: s.cfg.WriteTimeout},
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
		st.lifetime = startTimer(d, func() { st.sub.signal(n) })
	}
	if !st.srv.live.add(st) {
		st.sub.signal(noteShutdown)
	}
	if st.conn != nil {
		st.sub.live(func() { writers.schedule(st) })
		writers.schedule(st)
		return
	}
	st.wake = make(chan struct{}, 1)
	st.sub.live(func() {
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
func (st *stream) endsIn() (d time.Duration, n note, ok bool) {
	if lifetime := st.srv.cfg.MaxLifetime; lifetime > 0 {
		d, n, ok = jitterDown(lifetime), noteLifetime, true
	}
	if !st.expires.IsZero() {
		if left := time.Until(st.expires); !ok || left < d {
			d, n, ok = left, noteSessionEnded, true
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
	var spare []*frame
	for {
		for {
			w, ok := st.sub.take(spare)
			if !ok {
				break
			}
			st.srv.hub.pacer.remove(w.paced())
			spare = w.frames[:0]
			if reason, end := st.writeWork(w); end {
				st.finish(reason)
				return
			}
		}
		select {
		case <-st.wake:
		case <-ctx.Done():
			st.sub.signal(noteGone)
		}
	}
}

// writeWork writes w through the handler and reports whether the stream
// ends, and why.
func (st *stream) writeWork(w work) (reason closeReason, end bool) {
	if reason, end := w.ends(); end {
		return reason, true
	}
	bp := getBuf()
	defer putBuf(bp)
	*bp, reason, end = st.collect(*bp, w)
	if err := st.w.write(*bp); err != nil {
		return writeFailure(err), true
	}
	st.wrote(len(*bp) - chunkRoom)
	return reason, end
}

// turn is the stream's turn in the writer pool: it takes what the subscriber
// has for the stream, giving it spare, and writes it with buf, without
// waiting on the client. It returns buf emptied and the next spare. The
// stream goes back in the queue until a turn finds nothing to do.
func (st *stream) turn(buf []byte, spare []*frame) ([]byte, []*frame) {
	w, ok := st.sub.take(spare)
	if !ok {
		return buf, spare
	}
	st.srv.hub.pacer.remove(w.paced())
	spare = w.frames[:0]
	if reason, end := w.ends(); end {
		st.finish(reason)
		return buf, spare
	}
	buf, reason, end := st.collect(buf, w)
	payload := len(buf) - chunkRoom
	out := st.conn.frame(buf, end)
	n, err := st.conn.tryWrite(out)
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
	return buf[:chunkRoom], spare
}

// writeRest writes what a turn could not, waiting for the client within the
// write timeout, then gives the stream its next turn.
func (st *stream) writeRest(rest []byte, payload int, reason closeReason, end bool) {
	if err := st.conn.write(rest); err != nil {
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
func (w work) ends() (reason closeReason, end bool) {
	switch {
	case w.overflowed:
		return closedSlowConsumer, true
	case w.notes&noteGone != 0:
		return closedClientGone, true
	}
	return 0, false
}

// collect appends to buf what w has to write: its frames, then a heartbeat,
// or the retry that ends the stream. It clears the frames of w, and reports
// whether the stream ends after the write, and why.
func (st *stream) collect(buf []byte, w work) (_ []byte, reason closeReason, end bool) {
	frames := st.skipSent(w.frames)
	st.c.sent(frames)
	for _, f := range frames {
		buf = append(buf, f.wire...)
	}
	clear(w.frames)
	switch {
	case w.notes&noteShutdown != 0:
		buf = append(sse.AppendRetry(buf, st.srv.drainRetry()), '\n')
		return buf, closedShutdown, true
	case w.notes&noteSessionEnded != 0:
		buf = append(sse.AppendRetry(buf, st.srv.soonRetry()), '\n')
		return buf, closedSessionEnded, true
	case w.notes&noteLifetime != 0:
		buf = append(sse.AppendRetry(buf, st.srv.soonRetry()), '\n')
		return buf, closedLifetime, true
	case w.notes&noteBeat != 0 && len(buf) == chunkRoom:
		buf = append(sse.AppendComment(buf, ""), '\n')
	}
	return buf, 0, false
}

// send writes buf[chunkRoom:] through the handler, for the preamble.
func (st *stream) send(buf []byte) error {
	if err := st.w.write(buf); err != nil {
		return err
	}
	st.wrote(len(buf) - chunkRoom)
	return nil
}

// wrote counts n bytes written, and the time for heartbeats.
func (st *stream) wrote(n int) {
	st.c.written.Add(uint64(n))
	st.lastWrite.Store(clock())
}

// beat asks for a heartbeat once the stream has been quiet for a heartbeat
// period, and sets itself to run again a period after the last write.
func (st *stream) beat() {
	period := st.srv.cfg.Heartbeat
	quiet := time.Duration(clock() - st.lastWrite.Load())
	if quiet < period {
		if !st.sub.ended() {
			st.heartbeat.Reset(period - quiet)
		}
		return
	}
	if st.sub.signal(noteBeat) {
		st.heartbeat.Reset(period)
	}
}

// finish ends the stream, once, for reason: it closes the connection and
// the subscription, frees the stream's place and counts it closed.
func (st *stream) finish(reason closeReason) {
	st.srv.hub.unsubscribe(st.sub)
	if st.heartbeat != nil {
		st.heartbeat.Stop()
	}
	if st.lifetime != nil {
		st.lifetime.Stop()
	}
	if st.conn != nil {
		st.conn.close()
	}
	st.c.closed[reason].Add(1)
	st.c.streams.Add(-1)
	st.closeClass()
	st.release()
	st.srv.live.remove(st)
}

// canHijack reports whether the stream of r can leave net/http once live:
// a GET over plain HTTP/1.1 (HTTP/2 multiplexes streams on one connection
// and TLS keeps buffers of its own), where hang-ups can be watched.
func (s *Server) canHijack(r *http.Request) bool {
	if r.Method != http.MethodGet || r.TLS != nil || r.ProtoMajor != 1 || r.ProtoMinor < 1 {
		return false
	}
	_, err := hangupWatcher()
	return err == nil
}

// hijack takes the connection of st from net/http, after the response
// header and the preamble, when it can: net/http's goroutines and buffers
// for it go away, and st writes HTTP/1.1 chunks to the connection itself.
// Otherwise st stays in the handler.
func (s *Server) hijack(st *stream, w http.ResponseWriter) {
	watcher, err := hangupWatcher()
	if err != nil {
		return
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	cs, err := newConnSink(conn, s.cfg.WriteTimeout)
	if err != nil {
		_ = conn.Close() // the handler's first write fails and ends the stream
		return
	}
	stop, err := watcher.watch(conn, func() { st.sub.signal(noteGone) })
	if err == nil {
		cs.stop = stop // otherwise heartbeats and write errors find a dead client
	}
	st.conn = cs
	st.w = nil // nothing of net/http's is kept
}

// clockStart is the origin of clock.
var clockStart = time.Now()

// clock returns a monotonic time in nanoseconds.
func clock() int64 { return int64(time.Since(clockStart)) }

// The sizes of write buffers.
const (
	// chunkRoom is the room left at the start of a write buffer for the
	// header of an HTTP/1.1 chunk: up to 8 hex digits and CRLF.
	chunkRoom = 10
	// writeChunk is the size at which a replay is written out, so that it
	// does not sit in memory whole.
	writeChunk = 64 << 10
	// maxKeptBuf is the largest write buffer kept for reuse.
	maxKeptBuf = 256 << 10
)

// writeBufs are write buffers, shared by the streams that are writing.
var writeBufs = sync.Pool{New: func() any {
	b := make([]byte, chunkRoom, 4<<10)
	return &b
}}

// getBuf returns an empty write buffer, with its chunkRoom.
func getBuf() *[]byte {
	bp := writeBufs.Get().(*[]byte)
	*bp = (*bp)[:chunkRoom]
	return bp
}

// putBuf gives back a buffer from getBuf, unless it grew too big to keep.
func putBuf(bp *[]byte) {
	if cap(*bp) <= maxKeptBuf {
		writeBufs.Put(bp)
	}
}
