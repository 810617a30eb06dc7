package shared

import (
	"fmt"
	"reflect"
	"sort"
)

// Type is what a Schema knows of one event type, whatever its Go type.
type Type interface {
	// Name returns the event name.
	Name() string
	// GoType returns the reflect type of the event's data.
	GoType() reflect.Type
	// Canonical validates JSON data against the type and returns it in the
	// compact form that is stored and sent.
	Canonical(data []byte) ([]byte, error)
}

// Schema is a set of event types looked up by name. It is safe for concurrent
// use once made.
type Schema struct {
	types map[string]Type
}

// NewSchema returns the schema of the given types. Two types with one name are
// an error, and so is a type of the protocol (herald.gap, herald.position),
// which only the server sends.
func NewSchema(types ...Type) (*Schema, error) {
	s := &Schema{types: make(map[string]Type, len(types))}
	for _, t := range types {
		if isProtocolType(t.Name()) {
			return nil, fmt.Errorf("new schema: event type %q is part of the protocol: it cannot be published", t.Name())
		}
		if _, dup := s.types[t.Name()]; dup {
			return nil, fmt.Errorf("new schema: event type %q defined twice", t.Name())
		}
		s.types[t.Name()] = t
	}
	return s, nil
}

// isProtocolType reports whether name is the type of an event that only the
// server sends.
func isProtocolType(name string) bool {
	return name == GapEvent.Name() || name == PositionEvent
}

// MustSchema is like NewSchema but panics on an error, for package-level
// variables.
func MustSchema(types ...Type) *Schema {
	s, err := NewSchema(types...)
	if err != nil {
		panic(err)
	}
	return s
}

// Lookup returns the type named name.
func (s *Schema) Lookup(name string) (Type, bool) {
	t, ok := s.types[name]
	return t, ok
}

// Types returns every type of the schema, sorted by name.
func (s *Schema) Types() []Type {
	out := make([]Type, 0, len(s.types))
	for _, t := range s.types {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// Canonical validates data as an event of the type named name and returns it in
// compact form. An unknown name is an error.
func (s *Schema) Canonical(name string, data []byte) ([]byte, error) {
	t, ok := s.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown event type %q", name)
	}
	return t.Canonical(data)
}
