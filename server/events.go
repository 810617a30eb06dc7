package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/heraldhq/herald/server/engine"
	"github.com/heraldhq/herald/server/gzipwire"
	"github.com/heraldhq/herald/server/internal/transport"
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
		if err := engine.ValidateTopic(t); err != nil {
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
	return req, nil
}

// serveEvents streams the events of the asked topics: first those after the
// resume id, then live ones, with heartbeats between. A plain HTTP/1.1 stream
// leaves the handler once it is live (see transport.Hijack); any other stays
// in it. A HEAD request gets the header alone (see serveHead).
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) error {
	req, err := s.parseStreamRequest(r)
	if err != nil {
		return badInput(err)
	}
	if r.Method == http.MethodHead {
		return s.serveHead(w, r, req.topics)
	}
	a, err := s.admitStream(r, req.topics)
	if err != nil {
		return err
	}
	sn, err := s.hub.Subscribe(r.Context(), req.topics, req.resume, req.lastID)
	switch {
	case errors.Is(err, engine.ErrClosed):
		a.release()
		return refuse(http.StatusServiceUnavailable, refusedDraining, "server is shutting down").later(s.cfg.Retry)
	case err != nil:
		a.release()
		s.comeBackLater(w)
		return nil
	}
	s.bindSession(&a, sn.Subscriber)
	gzip := s.gzips(r)
	st := s.openStream(w, sn, req.topics, a, gzip)
	s.setStreamHeader(w.Header(), gzip)
	hijack := transport.CanHijack(r)
	if hijack {
		w.Header().Set("Connection", "close") // the connection ends with the stream
	}
	w.WriteHeader(http.StatusOK)
	if reason, ok := s.start(st, sn); !ok {
		st.finish(reason)
		return nil
	}
	if hijack {
		st.hijack(w)
	}
	st.live(r.Context())
	return nil
}

// serveHead answers HEAD /events with the header a stream of topics begins
// with, or the refusal its GET would get, and ends: no stream opens and no
// place under the connection limits is taken. (Nothing written to a HEAD
// answer reaches the client, so a stream there would never time out.)
func (s *Server) serveHead(w http.ResponseWriter, r *http.Request, topics []string) error {
	u, _ := s.identify(r)
	for _, t := range topics {
		if !s.sec.authorizer.CanRead(u, t) {
			return refuseTopic(u, "read", t)
		}
	}
	s.setStreamHeader(w.Header(), s.gzips(r))
	w.WriteHeader(http.StatusOK)
	return nil
}

// gzips reports whether the stream r asks for is sent gzipped: compression
// is on, and r's Accept-Encoding takes gzip.
func (s *Server) gzips(r *http.Request) bool {
	return !s.cfg.NoGzip && acceptsGzip(r.Header.Values("Accept-Encoding"))
}

// setStreamHeader sets the header fields of an event stream in h, one sent
// gzipped when gzip is set. While compression is on, every stream's answer
// varies by Accept-Encoding.
func (s *Server) setStreamHeader(h http.Header, gzip bool) {
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	if !s.cfg.NoGzip {
		h.Add("Vary", "Accept-Encoding")
	}
	if gzip {
		h.Set("Content-Encoding", "gzip")
	}
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

// start writes what a stream begins with: the retry delay, with the stream's
// position when the client missed nothing, the gap event if any, the replay,
// and the position after it when the client missed events. It reports why it
// failed, or ok.
func (s *Server) start(st *stream, sn *engine.Subscription) (reason closeReason, ok bool) {
	st.buf = make([]byte, transport.ChunkRoom, 512)
	if st.gzip {
		st.buf = gzipwire.AppendHeader(st.buf)
	}
	text := sse.AppendRetry(nil, s.cfg.Retry)
	if position := sn.Position(0); !sn.Missed() && position != "" {
		text = appendPosition(text, position)
	} else {
		text = append(text, '\n')
	}
	if sn.Gap != nil {
		text = appendGap(text, *sn.Gap)
		s.counters.gaps.Add(1)
	}
	st.buf = st.appendText(st.buf, text, false)
	var replayed uint64
	for f, err := range sn.Replay() {
		if err == nil {
			s.counters.replayed.Add(1)
			err = st.appendChunked(f)
		}
		if err != nil {
			return writeFailure(err), false
		}
		replayed = f.Seq()
	}
	if position := sn.Position(replayed); position != "" && sn.Missed() {
		st.buf = st.appendText(st.buf, appendPosition(nil, position), false)
	}
	err := st.send(st.buf)
	st.buf = nil
	if err != nil {
		return writeFailure(err), false
	}
	return 0, true
}

// appendPosition ends the block of dst with the herald.position event of id:
// an empty data line, so that clients which record an id only with an event
// record it too, and the id. An id that sse.ValidateID refuses is left out,
// and the block ends without the event.
func appendPosition(dst []byte, id string) []byte {
	if sse.ValidateID(id) != nil {
		return append(dst, '\n')
	}
	dst = append(dst, "event: "+shared.PositionEvent+"\ndata:\n"...)
	return append(sse.AppendID(dst, id), '\n')
}

// appendGap appends the herald.gap event, which has no id, so the client's
// last event id stays what it sent until a real event follows.
func appendGap(dst []byte, g shared.Gap) []byte {
	data, _ := shared.GapEvent.Encode(g) // two strings: cannot fail
	out, _ := sse.AppendEvent(dst, sse.Event{Type: shared.GapEvent.Name(), Data: string(data)})
	return out
}
