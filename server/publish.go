package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/heraldhq/herald/server/engine"
	"github.com/heraldhq/herald/server/security"
)

// PublishRequest is one event in the body of POST /publish. The body is one
// PublishRequest or a JSON array of them.
type PublishRequest struct {
	Topic string          `json:"topic"`
	Type  string          `json:"type"`
	Data  json.RawMessage `json:"data"`
}

// PublishResponse answers a POST /publish of one event.
type PublishResponse struct {
	ID string `json:"id"`
}

// BatchResponse answers a POST /publish of an array: the ids in order.
type BatchResponse struct {
	IDs []string `json:"ids"`
}

// servePublish accepts one event or an array of events. A batch is all or
// nothing: one bad event refuses them all.
func (s *Server) servePublish(w http.ResponseWriter, r *http.Request) error {
	user, service, err := s.publisher(r)
	if err != nil {
		return err
	}
	body, err := readBody(w, r, s.cfg.MaxPublishBytes, "publish")
	if err != nil {
		return err
	}
	batch := isArray(body)
	msgs, err := s.decodeMessages(r, body, batch)
	if err != nil {
		return badInput(err)
	}
	if msgs, err = s.mayPublishNow(user, service, msgs); err != nil {
		return err
	}
	ids, err := s.hub.Publish(r.Context(), msgs)
	if err != nil {
		return s.publishRefusal(err)
	}
	s.auditPublish(r, user, msgs)
	if batch {
		writeJSON(w, http.StatusOK, BatchResponse{IDs: ids})
	} else {
		writeJSON(w, http.StatusOK, PublishResponse{ID: ids[0]})
	}
	return nil
}

// mayPublishNow checks that user, or the service, may publish msgs, takes
// them from its publish rate, and returns them as the user's are stamped
// (see admitPublish).
func (s *Server) mayPublishNow(user security.User, service bool, msgs []engine.Message) ([]engine.Message, error) {
	if service {
		return msgs, s.rates.tokenPublish.Allow("token", len(msgs))
	}
	msgs, err := s.admitPublish(user, msgs)
	if err != nil {
		return nil, err
	}
	return msgs, s.rates.userPublish.Allow(user.Name, len(msgs))
}

// decodeMessages reads the messages of a publish body, checked against the
// schema, with the keys of r's Idempotency-Key. A body of the usual shape is
// read in one pass (see scanPublish); any other body, and any body refused,
// is read again by the strict decoder, so that every refusal is worded as
// the strict decoder's.
func (s *Server) decodeMessages(r *http.Request, body []byte, batch bool) ([]engine.Message, error) {
	if msgs, ok := scanPublish(body, batch); ok {
		if msgs, err := s.checkMessages(r, msgs, batch); err == nil {
			return msgs, nil
		}
	}
	return s.decodeStrictly(r, body, batch)
}

// checkMessages checks msgs against the schema, in place, and gives them
// the keys of r's Idempotency-Key.
func (s *Server) checkMessages(r *http.Request, msgs []engine.Message, batch bool) ([]engine.Message, error) {
	key, err := requestKey(r)
	if err != nil {
		return nil, err
	}
	if msgs, err = s.validate(msgs); err != nil {
		return nil, err
	}
	return withKey(msgs, key, batch), nil
}

// decodeStrictly reads the messages of any publish body with the strict
// decoder, and checks them as checkMessages does.
func (s *Server) decodeStrictly(r *http.Request, body []byte, batch bool) ([]engine.Message, error) {
	reqs, err := decodePublish(body, batch)
	if err != nil {
		return nil, err
	}
	msgs := make([]engine.Message, len(reqs))
	for i, req := range reqs {
		msgs[i] = engine.Message{Topic: req.Topic, Type: req.Type, Data: req.Data}
	}
	return s.checkMessages(r, msgs, batch)
}

// publishRefusal returns the refusal of a publish the hub did not store:
// 413 for a message or batch too large for the broker, or for an event whose
// frame could not fit a subscriber's queue; 503 with
// Retry-After while the broker is unreachable or the server drains, as it
// may take it later.
func (s *Server) publishRefusal(err error) *refusal {
	switch {
	case errors.Is(err, engine.ErrTooLarge), errors.Is(err, engine.ErrFrameTooLarge):
		return refuse(http.StatusRequestEntityTooLarge, refusedBadInput, "publish: %v", err)
	case errors.Is(err, engine.ErrClosed):
		return refuse(http.StatusServiceUnavailable, refusedDraining, "publish: the server is shutting down").later(s.cfg.Retry)
	}
	return refuse(http.StatusServiceUnavailable, refusedUnavailable, "publish: %v", err).later(s.cfg.Retry)
}

func isArray(body []byte) bool {
	t := bytes.TrimLeft(body, " \t\r\n")
	return len(t) > 0 && t[0] == '['
}

// decodePublish reads one request or an array of them, strictly: unknown
// fields and trailing data are errors.
func decodePublish(body []byte, batch bool) ([]PublishRequest, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var reqs []PublishRequest
	var err error
	if batch {
		err = dec.Decode(&reqs)
	} else {
		reqs = make([]PublishRequest, 1)
		err = dec.Decode(&reqs[0])
	}
	if err != nil {
		return nil, fmt.Errorf("publish body is not valid JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("publish body has data after the JSON value")
	}
	if len(reqs) == 0 {
		return nil, errors.New("publish body is an empty array")
	}
	return reqs, nil
}

// validate checks each message's topic, type and data against the schema and
// puts their data in canonical form, in place: msgs must be the caller's
// own. It returns msgs.
func (s *Server) validate(msgs []engine.Message) ([]engine.Message, error) {
	for i, m := range msgs {
		m, err := s.canonical(m)
		if err != nil {
			if len(msgs) > 1 {
				return nil, fmt.Errorf("event %d: %w", i, err)
			}
			return nil, err
		}
		msgs[i] = m
	}
	return msgs, nil
}

func (s *Server) canonical(m engine.Message) (engine.Message, error) {
	if err := engine.ValidateTopic(m.Topic); err != nil {
		return engine.Message{}, err
	}
	if m.Key != "" {
		if err := engine.ValidateKey(m.Key); err != nil {
			return engine.Message{}, err
		}
	}
	if len(m.Data) == 0 {
		return engine.Message{}, fmt.Errorf("event of type %q has no data", m.Type)
	}
	data, err := s.cfg.Schema.Canonical(m.Type, m.Data)
	if err != nil {
		return engine.Message{}, err
	}
	m.Data = data
	return m, nil
}

// requestKey returns the Idempotency-Key header of r, "" when there is none.
func requestKey(r *http.Request) (string, error) {
	vs := r.Header.Values("Idempotency-Key")
	switch {
	case len(vs) == 0:
		return "", nil
	case len(vs) > 1:
		return "", errors.New("more than one Idempotency-Key header")
	}
	if err := engine.ValidateKey(vs[0]); err != nil {
		return "", fmt.Errorf("bad Idempotency-Key: %w", err)
	}
	return vs[0], nil
}

// withKey sets the key of each message of a request whose key is key: the key
// itself for one event, and key#i for the i-th event of a batch, so a batch
// retried with the same key and body maps onto the same keys.
func withKey(msgs []engine.Message, key string, batch bool) []engine.Message {
	if key == "" {
		return msgs
	}
	for i := range msgs {
		msgs[i].Key = key
		if batch {
			msgs[i].Key = key + "#" + strconv.Itoa(i)
		}
	}
	return msgs
}
