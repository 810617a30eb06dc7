package shared

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"

	"github.com/heraldhq/herald/shared/sse"
)

// Validator is implemented by event types that check more than JSON can, such as
// a field that takes one of a few values. Decode calls it after decoding.
type Validator interface {
	Validate() error
}

// Event binds the Go type T to an event name. Its zero value is not usable: make
// one with Define or NewEvent.
type Event[T any] struct {
	name string
	// plain is set when no type in T encodes itself (see plainJSON), so that
	// Canonical may take its cheaper path.
	plain bool
}

// NewEvent returns the descriptor of events named name whose data is a T in
// JSON. The name must be a valid event type on the wire (not empty, no CR, LF or
// NUL).
func NewEvent[T any](name string) (Event[T], error) {
	if err := sse.ValidateType(name); err != nil {
		return Event[T]{}, fmt.Errorf("define event %q: %w", name, err)
	}
	return Event[T]{name: name, plain: plainJSON(reflect.TypeFor[T](), map[reflect.Type]bool{})}, nil
}

// Define is like NewEvent but panics on an invalid name. It is meant for
// package-level variables, where a bad name is a programming error.
func Define[T any](name string) Event[T] {
	e, err := NewEvent[T](name)
	if err != nil {
		panic(err)
	}
	return e
}

// Name returns the event name, the value of the frame's event field.
func (e Event[T]) Name() string { return e.name }

// GoType returns the reflect type of the event's data.
func (e Event[T]) GoType() reflect.Type { return reflect.TypeFor[T]() }

// Encode returns v as the JSON that travels in the event's data. JSON never
// holds a raw line break, so the data is always one line.
func (e Event[T]) Encode(v T) ([]byte, error) {
	if err := validate(v); err != nil {
		return nil, fmt.Errorf("encode %s: %w", e.name, err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", e.name, err)
	}
	return b, nil
}

// Decode parses data strictly into a T: unknown fields, wrong types, trailing
// data and values the type's Validate method refuses are errors.
func (e Event[T]) Decode(data []byte) (T, error) {
	var v T
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return v, fmt.Errorf("decode %s: %w", e.name, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return v, fmt.Errorf("decode %s: unexpected data after the JSON value", e.name)
	}
	if err := validate(v); err != nil {
		return v, fmt.Errorf("decode %s: %w", e.name, err)
	}
	return v, nil
}

// Canonical decodes data strictly into a T and encodes it again, so that what is
// stored and sent is exactly what the type holds, in compact JSON.
//
// Data that is already canonical, as a Go client's Encode makes it, takes a
// cheaper path with the same outcome when T has no type that encodes itself:
// a lenient decode whose encoding gives back data byte for byte had no field
// the strict decode would refuse (an unknown field would be missing from the
// encoding), so its value is the strict decode's. Any other data goes
// through Decode, errors included.
func (e Event[T]) Canonical(data []byte) ([]byte, error) {
	var v T
	if e.plain && json.Unmarshal(data, &v) == nil {
		if out, err := e.Encode(v); err == nil && bytes.Equal(out, data) {
			return out, nil
		}
	}
	v, err := e.Decode(data)
	if err != nil {
		return nil, err
	}
	return e.Encode(v)
}

func validate(v any) error {
	if val, ok := v.(Validator); ok {
		return val.Validate()
	}
	return nil
}

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// plainJSON reports whether encoding/json encodes every value of t by its
// own rules: no type reachable from t, through fields, elements, keys and
// pointers, has a MarshalJSON or MarshalText method that could write a field
// its decoding would not read. seen holds the types being checked.
func plainJSON(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return true
	}
	seen[t] = true
	for _, m := range []reflect.Type{marshalerType, textMarshalerType} {
		if t.Implements(m) || reflect.PointerTo(t).Implements(m) {
			return false
		}
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return plainJSON(t.Elem(), seen)
	case reflect.Map:
		return plainJSON(t.Key(), seen) && plainJSON(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if !plainJSON(t.Field(i).Type, seen) {
				return false
			}
		}
	}
	return true
}
