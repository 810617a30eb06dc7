package server

import (
	"bytes"

	"github.com/heraldhq/herald/server/engine"
)

// scanPublish reads a publish body of the usual shape in one pass, without
// reflection or copies: one object, or a non-empty array of objects, each
// with the members "topic" and "type", plain ASCII strings without escapes,
// and "data", an object, each exactly once and nothing else. The data of
// each message is a slice of body, its syntax not checked: the schema's
// strict decoding checks it. scanPublish reports false for any other body
// and for anything it is not sure of; decodePublish, the strict decoder of
// every body, then reads it and words the error. Whatever scanPublish
// accepts with data that is valid JSON, decodePublish reads as the same
// messages.
func scanPublish(body []byte, batch bool) ([]engine.Message, bool) {
	s := scanner{b: body}
	if !batch {
		m, ok := s.message()
		if !ok || !s.end() {
			return nil, false
		}
		return []engine.Message{m}, true
	}
	if !s.skip('[') {
		return nil, false
	}
	msgs := make([]engine.Message, 0, batchCap(body))
	for {
		m, ok := s.message()
		if !ok {
			return nil, false
		}
		msgs = append(msgs, m)
		if s.skip(']') {
			return msgs, s.end()
		}
		if !s.skip(',') {
			return nil, false
		}
	}
}

// scanner walks a publish body; i is the next byte to read, topic and typ
// the last message's.
type scanner struct {
	b          []byte
	i          int
	topic, typ string
}

// space skips JSON whitespace.
func (s *scanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

// skip reads c after whitespace, and reports whether it was there.
func (s *scanner) skip(c byte) bool {
	s.space()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// end reports whether only whitespace is left.
func (s *scanner) end() bool {
	s.space()
	return s.i == len(s.b)
}

// The members of a message, as bits of what a message has read.
const (
	hasTopic = 1 << iota
	hasType
	hasData
)

// message reads one object of the three members.
// The topic and type of the message before are used again when they are the
// same, as they usually are in a batch.
func (s *scanner) message() (m engine.Message, ok bool) {
	if !s.skip('{') {
		return m, false
	}
	seen := 0
	for seen != hasTopic|hasType|hasData {
		if seen != 0 && !s.skip(',') {
			return m, false
		}
		name, ok := s.plain()
		if !ok || !s.skip(':') {
			return m, false
		}
		var bit int
		var v []byte
		switch string(name) {
		case "topic":
			bit = hasTopic
			v, ok = s.plain()
			m.Topic = reuse(&s.topic, v)
		case "type":
			bit = hasType
			v, ok = s.plain()
			m.Type = reuse(&s.typ, v)
		case "data":
			bit = hasData
			m.Data, ok = s.object()
		}
		if !ok || bit == 0 || seen&bit != 0 {
			return m, false
		}
		seen |= bit
	}
	return m, s.skip('}')
}

// reuse returns v as a string: *last when it holds the same bytes, and
// otherwise a new one, kept in *last.
func reuse(last *string, v []byte) string {
	if *last != string(v) {
		*last = string(v)
	}
	return *last
}

// plain reads a string of printable ASCII without escapes, after
// whitespace, and returns what is between its quotes.
func (s *scanner) plain() ([]byte, bool) {
	if !s.skip('"') {
		return nil, false
	}
	start := s.i
	for ; s.i < len(s.b); s.i++ {
		switch c := s.b[s.i]; {
		case c == '"':
			s.i++
			return s.b[start : s.i-1], true
		case c < 0x20 || c > 0x7e || c == '\\':
			return nil, false
		}
	}
	return nil, false
}

// object returns the object that starts after whitespace, found by its
// braces outside strings; its syntax is left to the strict decoding of the
// data.
func (s *scanner) object() ([]byte, bool) {
	s.space()
	if s.i == len(s.b) || s.b[s.i] != '{' {
		return nil, false
	}
	start, depth := s.i, 0
	for ; s.i < len(s.b); s.i++ {
		switch s.b[s.i] {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				s.i++
				return s.b[start:s.i:s.i], true
			}
		case '"':
			if !s.str() {
				return nil, false
			}
		}
	}
	return nil, false
}

// str moves i to the closing quote of the string whose opening quote is
// at i, past escaped characters.
func (s *scanner) str() bool {
	for s.i++; s.i < len(s.b); s.i++ {
		switch s.b[s.i] {
		case '\\':
			s.i++
		case '"':
			return true
		}
	}
	return false
}

// shortestMessage is the shortest message a batch can hold.
const shortestMessage = `{"topic":"","type":"","data":{}}`

// batchCap returns how many messages a batch of body can hold at most: no
// more than it has opening braces, nor than shortest messages fit in it, so
// that a body of braces cannot make the server allocate more than a small
// multiple of its size.
func batchCap(body []byte) int {
	return min(bytes.Count(body, []byte{'{'}), len(body)/len(shortestMessage)+1)
}
