package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/heraldhq/herald/server/engine"
	"github.com/heraldhq/herald/server/security"
	"github.com/heraldhq/herald/shared"
)

// The bounds of a state: the newest events of its topics that fit both are
// in it, and its Since says from when (see shared.History).
const (
	// MaxStateEvents is the most events a state holds.
	MaxStateEvents = 2000
	// MaxStateBytes is the most bytes its events take as frames on a
	// stream. Its JSON may take up to about twice that: the data, itself
	// JSON, is escaped as a string.
	MaxStateBytes = 1 << 20
)

// PublicHistory returns what the history holds of topics at one event id,
// and that id: the input of a shared.Fold, which a stream of the topics
// resumed from the id continues with nothing lost or twice. It is GET /state
// in process for a page rendered on the server, which may be the same for
// every reader: it refuses a topic a signed-out user may not read (see
// Config.Authorizer). The topics must be valid (see GET /events). It keeps
// the newest MaxStateEvents events within MaxStateBytes.
func (s *Server) PublicHistory(topics []string) (shared.History, error) {
	for _, t := range topics {
		if err := engine.ValidateTopic(t); err != nil {
			return shared.History{}, fmt.Errorf("history: %w", err)
		}
		if !s.sec.authorizer.CanRead(security.User{}, t) {
			return shared.History{}, fmt.Errorf("history of %q: a signed-out user may not read it", t)
		}
	}
	return s.history(topics)
}

// history returns the History of topics, checking no reader.
func (s *Server) history(topics []string) (shared.History, error) {
	snap, err := s.hub.Snapshot(topics, MaxStateEvents, MaxStateBytes)
	if err != nil {
		return shared.History{}, fmt.Errorf("history of %q: %w", topics, err)
	}
	h := shared.History{ID: snap.ID, Since: snap.Since, Events: make([]shared.HistoryEvent, 0, len(snap.Frames))}
	for _, f := range snap.Frames {
		e, err := f.Event()
		if err != nil {
			return shared.History{}, fmt.Errorf("history of %q: %w", topics, err)
		}
		h.Events = append(h.Events, shared.HistoryEvent{ID: e.ID, Type: e.Type, Data: e.Data})
	}
	return h, nil
}

// serveState answers GET /state?topic=T[&topic=U…] with the History of the
// topics, under the rules of GET /events: the same topics, the same
// authorization (a topic the user may not read is refused, 401 or 403) and
// the same connection limits, whose place it holds while it answers.
func (s *Server) serveState(w http.ResponseWriter, r *http.Request) error {
	req, err := s.parseStreamRequest(r)
	if err != nil {
		return badInput(err)
	}
	a, err := s.admitStream(r, req.topics)
	if err != nil {
		return err
	}
	defer a.release()
	if r.Method == http.MethodHead {
		writeJSON(w, http.StatusOK, nil) // the header of the answer, without taking the history
		return nil
	}
	h, err := s.history(req.topics)
	if errors.Is(err, engine.ErrClosed) {
		return refuse(http.StatusServiceUnavailable, refusedDraining, "server is shutting down").later(s.cfg.Retry)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h)
	return nil
}
