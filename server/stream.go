package server

import (
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"net/http"
	"os"
	"time"

	"github.com/heraldhq/herald/shared"
	"github.com/heraldhq/herald/shared/sse"
)

// streamRequest is a parsed GET /events request.
type streamRequest struct {
	topics []string
	resume bool
	lastID string
}

// parseStreamRequest reads the topics and the resume id of r.
func (s *Server) parseStreamRequest(r *http.Request) (streamRequest, error) {
	q := r.URL.Query()
	var req streamRequest
	seen := map[string]bool{}
	for _, t := range q["topic"] {
		if err := ValidateTopic(t); err != nil {
			return req, err
		}
		if !seen[t] {
			seen[t] = true
			req.topics = append(req.topics, t)
		}
	}
	if len(req.topics) == 0 {
		return req, fmt.Errorf("no topic: add ?topic=NAME, once per topic")
	}
	if len(req.topics) > s.cfg.MaxTopics {
		return req, fmt.Errorf("%d topics asked, at most %d per stream", len(req.topics), s.cfg.MaxTopics)
	}
	id, fromHeader := r.Header["Last-Event-Id"]
	switch {
	case fromHeader:
		req.resume, req.lastID = true, id[0]
	case q.Has("lastEventId"):
		req.resume, req.lastID = true, q.Get("lastEventId")
	}
	if req.resume && req.lastID == "" {
		req.resume = false
	}
	if req.resume {
		if _, err := parseID(req.lastID); err != nil {
			return req, fmt.Errorf("bad Last-Event-ID: %w", err)
		}
	}
	return req, nil
}

// serveEvents streams the events of the asked topics: first those after the
// resume id, then live ones, with heartbeats between. A plain HTTP/1.1 stream
// leaves the handler once it is live (see hijack); any other stays in it.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	req, err := s.parseStreamRequest(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	a, ok := s.admitStream(w, r, req.topics)
	if !ok {
		return
	}
	sn, err := s.hub.subscribe(req.topics, req.resume, req.lastID)
	if err != nil {
		a.release()
		writeBusy(w, http.StatusServiceUnavailable, s.cfg.Retry, "server is shutting down")
		return
	}
	s.bindSession(&a, sn.sub)
	if s.hub.resolve(r.Context(), &sn) != nil {
		s.hub.unsubscribe(sn.sub)
		a.release()
		s.comeBackLater(w)
		return
	}
	st := s.openStream(w, sn, req.topics, a)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	hijack := s.canHijack(r)
	if hijack {
		h.Set("Connection", "close") // the connection ends with the stream
	}
	w.WriteHeader(http.StatusOK)
	if reason, ok := s.start(st, sn); !ok {
		st.finish(reason)
		return
	}
	if hijack {
		s.hijack(st, w)
	}
	st.live(r.Context())
}

// comeBackLater answers a stream whose missed events cannot be read now with
// an empty stream that tells the client when to try again: an EventSource
// takes any status but 200 as final, but reconnects, with the same
// Last-Event-ID, after a stream that ends.
func (s *Server) comeBackLater(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	buf := sse.AppendComment(nil, "the missed events cannot be read now: come back later")
	buf = append(sse.AppendRetry(buf, s.drainRetry()), '\n')
	_, _ = w.Write(buf)
}

// start writes what a stream begins with: the retry delay, the gap event if
// any, and the replay. It reports why it failed, or ok.
func (s *Server) start(st *stream, sn subscription) (reason closeReason, ok bool) {
	st.buf = sse.AppendRetry(make([]byte, chunkRoom, 512), s.cfg.Retry)
	nothingBefore := sn.gap == nil && len(sn.replay) == 0 && sn.stored == nil
	if position := sn.position(0); nothingBefore && position != "" {
		st.buf = sse.AppendID(st.buf, position)
	}
	st.buf = append(st.buf, '\n')
	if sn.gap != nil {
		st.buf = appendGap(st.buf, *sn.gap)
		s.counters.gaps.Add(1)
	}
	replayed, err := s.replayStored(st, sn.stored)
	if err != nil {
		return writeFailure(err), false
	}
	s.counters.replayed.Add(uint64(len(sn.replay)))
	for _, f := range sn.replay {
		if err := st.appendChunked(f.wire); err != nil {
			return writeFailure(err), false
		}
		replayed = f.seq
	}
	if position := sn.position(replayed); position != "" && !nothingBefore {
		st.buf = append(sse.AppendID(st.buf, position), '\n')
	}
	err = st.send(st.buf)
	st.buf = nil
	if err != nil {
		return writeFailure(err), false
	}
	return 0, true
}

// replayStored writes the events read from the broker, if any, as they come.
// It returns the sequence number of the last one written, 0 if none.
func (s *Server) replayStored(st *stream, stored iter.Seq2[Record, error]) (last uint64, err error) {
	if stored == nil {
		return 0, nil
	}
	for rec, err := range stored {
		if err != nil {
			return last, err
		}
		f, err := encodeFrame(rec.Seq, rec.Message, rec.Time)
		if err != nil {
			continue // not a Herald event
		}
		s.counters.replayed.Add(1)
		if err := st.appendChunked(f.wire); err != nil {
			return last, err
		}
		last = f.seq
	}
	return last, nil
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
func (st *stream) skipSent(frames []*frame) []*frame {
	if st.skip == 0 {
		return frames
	}
	n := 0
	for _, f := range frames {
		if f.seq > st.skip {
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

// appendChunked appends wire to buf and writes buf out once it reaches
// writeChunk, so a long replay does not sit in memory whole.
func (st *stream) appendChunked(wire []byte) error {
	st.buf = append(st.buf, wire...)
	if len(st.buf) < writeChunk {
		return nil
	}
	err := st.send(st.buf)
	st.buf = st.buf[:chunkRoom]
	return err
}

// appendGap appends the herald.gap event, which has no id, so the client's
// last event id stays what it sent until a real event follows.
func appendGap(dst []byte, g shared.Gap) []byte {
	data, _ := shared.GapEvent.Encode(g) // two strings: cannot fail
	out, _ := sse.AppendEvent(dst, sse.Event{Type: shared.GapEvent.Name(), Data: string(data)})
	return out
}
