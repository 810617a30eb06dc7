package server

import (
	"fmt"
	"net/http"
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
// resume id, then live ones, with heartbeats between.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	req, err := s.parseStreamRequest(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	sn, err := s.hub.subscribe(req.topics, req.resume, req.lastID)
	if err != nil {
		writeBusy(w, http.StatusServiceUnavailable, s.cfg.Retry, "server is shutting down")
		return
	}
	defer s.hub.unsubscribe(sn.sub)

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	st := &stream{w: w, rc: http.NewResponseController(w), timeout: s.cfg.WriteTimeout}
	st.buf = append(sse.AppendRetry(st.buf, s.cfg.Retry), '\n')
	if sn.gap != nil {
		st.buf = appendGap(st.buf, *sn.gap)
	}
	for _, f := range sn.replay {
		st.buf = append(st.buf, f.wire...)
		if len(st.buf) >= replayChunk && st.flush() != nil {
			return
		}
	}
	if st.flush() != nil {
		return
	}
	if cap(st.buf) > replayChunk {
		st.buf = nil // a long replay's buffer is not kept for the live stream
	}
	s.pump(r, st, sn.sub)
}

// pump writes the subscriber's frames as they come, and heartbeats when idle,
// until the client goes, the server drains, or the subscriber falls behind.
func (s *Server) pump(r *http.Request, st *stream, sub *subscriber) {
	heartbeat := time.NewTicker(s.cfg.Heartbeat)
	defer heartbeat.Stop()
	var spare []*frame
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.draining:
			st.buf = append(sse.AppendRetry(st.buf, s.drainRetry()), '\n')
			_ = st.flush()
			return
		case <-heartbeat.C:
			st.buf = append(sse.AppendComment(st.buf, ""), '\n')
		case <-sub.wake:
			frames, overflowed := sub.take(spare)
			if overflowed {
				return
			}
			for i, f := range frames {
				st.buf = append(st.buf, f.wire...)
				frames[i] = nil
			}
			spare = frames[:0]
			heartbeat.Reset(s.cfg.Heartbeat)
		}
		if st.flush() != nil {
			return
		}
	}
}

// stream is the writing end of one event stream.
type stream struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
	buf     []byte
}

// replayChunk is the size at which a replay is written out, so a long replay
// does not sit in memory whole.
const replayChunk = 64 << 10

// flush writes buf in one write under the write deadline, flushes it and
// empties buf.
func (st *stream) flush() error {
	defer func() { st.buf = st.buf[:0] }()
	if err := st.rc.SetWriteDeadline(time.Now().Add(st.timeout)); err != nil && err != http.ErrNotSupported {
		return err
	}
	if _, err := st.w.Write(st.buf); err != nil {
		return err
	}
	return st.rc.Flush()
}

// appendGap appends the herald.gap event, which has no id, so the client's
// last event id stays what it sent until a real event follows.
func appendGap(dst []byte, g shared.Gap) []byte {
	data, _ := shared.GapEvent.Encode(g) // two strings: cannot fail
	out, _ := sse.AppendEvent(dst, sse.Event{Type: shared.GapEvent.Name(), Data: string(data)})
	return out
}
