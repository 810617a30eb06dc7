package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
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
func (s *Server) servePublish(w http.ResponseWriter, r *http.Request) {
	user, service, ok := s.publisher(w, r)
	if !ok {
		return
	}
	body, ok := readBody(w, r, s.cfg.MaxPublishBytes, "publish")
	if !ok {
		return
	}
	batch := isArray(body)
	reqs, err := decodePublish(body, batch)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	key, err := requestKey(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	msgs := make([]Message, len(reqs))
	for i, req := range reqs {
		msgs[i] = Message{Topic: req.Topic, Type: req.Type, Data: req.Data}
	}
	msgs, err = s.validate(msgs)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if !service && !s.mayPublish(w, user, msgs) {
		return
	}
	ids, err := s.hub.publish(r.Context(), withKey(msgs, key, batch))
	if err != nil {
		s.writePublishError(w, err)
		return
	}
	if batch {
		writeJSON(w, http.StatusOK, BatchResponse{IDs: ids})
		return
	}
	writeJSON(w, http.StatusOK, PublishResponse{ID: ids[0]})
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
// returns new messages with their data in canonical form.
func (s *Server) validate(in []Message) ([]Message, error) {
	msgs := make([]Message, len(in))
	for i, m := range in {
		m, err := s.canonical(m)
		if err != nil {
			if len(in) > 1 {
				return nil, fmt.Errorf("event %d: %w", i, err)
			}
			return nil, err
		}
		msgs[i] = m
	}
	return msgs, nil
}

func (s *Server) canonical(m Message) (Message, error) {
	if err := ValidateTopic(m.Topic); err != nil {
		return Message{}, err
	}
	if m.Key != "" {
		if err := ValidateKey(m.Key); err != nil {
			return Message{}, err
		}
	}
	if len(m.Data) == 0 {
		return Message{}, fmt.Errorf("event of type %q has no data", m.Type)
	}
	data, err := s.cfg.Schema.Canonical(m.Type, m.Data)
	if err != nil {
		return Message{}, err
	}
	m.Data = data
	return m, nil
}
