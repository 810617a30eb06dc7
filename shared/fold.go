package shared

import (
	"errors"
	"fmt"
)

// Step is what one event type does to a state S. Make one with On: it binds
// an Event[T] to a function of a T, so that a step can only ever be given the
// data of its own type.
type Step[S any] struct {
	name   string
	decode func([]byte) (func(S) S, error)
}

// On returns the step that decodes the data of events of type e strictly (see
// Event.Decode) and folds it into a state with step, which returns the next
// state. The state given to step is the fold's own: step may change it in
// place (the Apply that calls it returns the result).
func On[S, T any](e Event[T], step func(S, T) S) Step[S] {
	return Step[S]{name: e.name, decode: func(data []byte) (func(S) S, error) {
		v, err := e.Decode(data)
		if err != nil {
			return nil, err
		}
		return func(s S) S { return step(s, v) }, nil
	}}
}

// Fold is a state made from a stream of events: an initial state and a step
// per event type. The server computes it from its history at one event id
// (the events up to and including that id), and a client continues it by
// resuming the stream from that id: every event after it is applied once.
// Events of a type the fold has no step for leave the state as it is. A Fold
// is safe for concurrent use.
type Fold[S any] struct {
	initial func() S
	steps   map[string]func([]byte) (func(S) S, error)
	types   []string
}

// NewFold returns the fold whose state starts as initial() (the zero S when
// initial is nil) and changes by steps. A step made otherwise than by On, and
// two steps of one event type, are errors.
func NewFold[S any](initial func() S, steps ...Step[S]) (*Fold[S], error) {
	if len(steps) == 0 {
		return nil, errors.New("new fold: no step: give one per event type with On")
	}
	f := &Fold[S]{initial: initial, steps: make(map[string]func([]byte) (func(S) S, error), len(steps))}
	for i, s := range steps {
		if s.decode == nil || s.name == "" {
			return nil, fmt.Errorf("new fold: step %d is not made by On with a defined event", i)
		}
		if _, dup := f.steps[s.name]; dup {
			return nil, fmt.Errorf("new fold: event type %q has two steps", s.name)
		}
		f.steps[s.name] = s.decode
		f.types = append(f.types, s.name)
	}
	return f, nil
}

// MustFold is like NewFold but panics on an error, for package-level
// variables.
func MustFold[S any](initial func() S, steps ...Step[S]) *Fold[S] {
	f, err := NewFold(initial, steps...)
	if err != nil {
		panic(err)
	}
	return f
}

// Initial returns the state before any event.
func (f *Fold[S]) Initial() S {
	if f.initial == nil {
		var zero S
		return zero
	}
	return f.initial()
}

// Types returns the event types the fold has a step for, in the order of its
// steps. The caller must not change the slice.
func (f *Fold[S]) Types() []string { return f.types }

// Apply returns s with the event of type eventType and data applied. An
// event of a type the fold has no step for returns s unchanged; data its
// type refuses is an error, and s is returned unchanged.
func (f *Fold[S]) Apply(s S, eventType string, data []byte) (S, error) {
	change, _, err := f.Change(eventType, data)
	if err != nil {
		return s, err
	}
	return change(s), nil
}

// Change decodes an event into the change it makes to a state, to apply
// later where the state lives (such as a component's update). ok is false
// for a type the fold has no step for, whose change is the identity; data
// its type refuses is an error.
func (f *Fold[S]) Change(eventType string, data []byte) (change func(S) S, ok bool, err error) {
	decode, ok := f.steps[eventType]
	if !ok {
		return func(s S) S { return s }, false, nil
	}
	change, err = decode(data)
	if err != nil {
		return nil, true, fmt.Errorf("fold: %w", err)
	}
	return change, true, nil
}
