package eventsource

import (
	"slices"
	"sync"

	"github.com/heraldhq/herald/shared"
	"github.com/heraldhq/herald/shared/sse"
)

// unnamedType is the type of the events the server names no type for.
const unnamedType = "message"

// message is one received event, copied out of the transport. Its id is the
// stream's last event id when it was dispatched, as MessageEvent.lastEventId.
type message struct {
	typ, data, id string
}

type listener struct{ fn func(message) }

type anyListener struct{ fn func(sse.Event) }

// On calls fn with every event of type e that src receives, decoded into a T.
// Data that does not decode is reported to the OnError listeners instead. The
// returned function removes the listener; calling it again does nothing.
func On[T any](src *Source, e Descriptor[T], fn func(T)) (remove func()) {
	return src.addListener(e.Name(), func(m message) {
		v, err := e.Decode([]byte(m.data))
		if err != nil {
			src.reportError(&DecodeError{Type: m.typ, ID: m.id, Err: err})
			return
		}
		fn(v)
	})
}

// OnAny calls fn with the events the Source receives, after the listeners of
// their type, undecoded. The event's ID is the stream's last event ID, as for
// every listener, and its Type is "message" when the server named none. The
// returned function removes the listener; calling it again does nothing.
//
// A native Source reads the whole stream, so fn gets every event but
// herald.position (shared.PositionEvent), which only sets the last event ID. The
// browser's EventSource only dispatches the types it is told to listen to,
// so there fn gets the events of the types that a listener of this Source
// (On, OnGap) watches at the time, plus those of type "message"; never an
// event of another type, even if the stream carries one.
func (s *Source) OnAny(fn func(sse.Event)) (remove func()) {
	l := &anyListener{fn: fn}
	s.changeWatch(unnamedType, func() { s.onAny = append(s.onAny, l) })
	var once sync.Once
	return func() {
		once.Do(func() {
			s.changeWatch(unnamedType, func() { s.onAny = without(s.onAny, l) })
		})
	}
}

// OnGap calls fn when the server says that events may have been missed: the
// id the stream resumed from is older than the server's history, or unknown.
// The app should refetch its state. The returned function removes fn.
func (s *Source) OnGap(fn func(shared.Gap)) (remove func()) {
	return On(s, shared.GapEvent, fn)
}

// OnOpen calls fn each time the connection opens, including after a reconnect.
func (s *Source) OnOpen(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onOpen = append(s.onOpen, fn)
}

// OnComment calls fn with the text of each comment line the stream carries,
// the heartbeats among them (Herald's server sends an empty comment every 15
// seconds of silence): what follows the colon, less one space. A program can
// use it to see that the connection is alive. Comments come in the order of
// the stream, between the events around them; one longer than the size limit
// (WithMaxEventSize) is dropped unread.
//
// The browser's EventSource hides comments from the page: there fn is never
// called.
func (s *Source) OnComment(fn func(text string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onComment = append(s.onComment, fn)
}

// OnError calls fn with each error: connection failures, which wrap
// ErrConnection (the Source then reconnects unless its ReadyState is
// StateClosed), events that did not decode (*DecodeError), and, natively,
// events dropped for their size (*EventTooLargeError) and the fatal error
// that Err then returns.
func (s *Source) OnError(fn func(error)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onError = append(s.onError, fn)
}

// addListener registers fn for events of type typ, and returns the function
// that removes it.
func (s *Source) addListener(typ string, fn func(message)) func() {
	l := &listener{fn: fn}
	s.changeWatch(typ, func() { s.listeners[typ] = append(s.listeners[typ], l) })
	var once sync.Once
	return func() {
		once.Do(func() {
			s.changeWatch(typ, func() {
				if ls := without(s.listeners[typ], l); len(ls) > 0 {
					s.listeners[typ] = ls
				} else {
					delete(s.listeners, typ)
				}
			})
		})
	}
}

// changeWatch runs change, which adds or removes a listener, under the lock,
// then asks the transport to watch typ if no listener watched it before, or
// to stop if none does now.
func (s *Source) changeWatch(typ string, change func()) {
	s.watchMu.Lock()
	defer s.watchMu.Unlock()
	s.mu.Lock()
	before := s.watches(typ)
	change()
	after := s.watches(typ)
	s.mu.Unlock()
	switch {
	case after && !before:
		s.watch(typ)
	case before && !after:
		s.unwatch(typ)
	}
}

// watches reports whether a listener wants the events of type typ. The
// caller holds s.mu.
func (s *Source) watches(typ string) bool {
	return len(s.listeners[typ]) > 0 || (typ == unnamedType && len(s.onAny) > 0)
}

// without returns ls without x, in a new slice.
func without[T comparable](ls []T, x T) []T {
	return slices.DeleteFunc(slices.Clone(ls), func(y T) bool { return y == x })
}

// deliver records the id of m, then hands m to the listeners of its type,
// and to the OnAny ones if they get its type. The herald.position event,
// which only carries the stream's position, goes to no OnAny listener. It
// runs on the Source's own goroutine only.
func (s *Source) deliver(m message) {
	s.mu.Lock()
	s.lastEventID = m.id
	ls := slices.Clone(s.listeners[m.typ])
	var anys []*anyListener
	if (seesEveryType || s.watches(m.typ)) && m.typ != shared.PositionEvent {
		anys = slices.Clone(s.onAny)
	}
	s.mu.Unlock()
	for _, l := range ls {
		if s.stopped() {
			return
		}
		l.fn(m)
	}
	e := sse.Event{ID: m.id, Type: m.typ, Data: m.data}
	for _, l := range anys {
		if s.stopped() {
			return
		}
		l.fn(e)
	}
}

// opened marks the Source open and calls the OnOpen listeners.
func (s *Source) opened() {
	s.setState(StateOpen)
	s.mu.Lock()
	fns := slices.Clone(s.onOpen)
	s.mu.Unlock()
	for _, fn := range fns {
		if s.stopped() {
			return
		}
		fn()
	}
}

// comment calls the OnComment listeners with text. It runs on the Source's
// own goroutine only.
func (s *Source) comment(text string) {
	s.mu.Lock()
	fns := slices.Clone(s.onComment)
	s.mu.Unlock()
	for _, fn := range fns {
		if s.stopped() {
			return
		}
		fn(text)
	}
}

// reportError calls the OnError listeners with err.
func (s *Source) reportError(err error) {
	s.mu.Lock()
	fns := slices.Clone(s.onError)
	s.mu.Unlock()
	for _, fn := range fns {
		if s.stopped() {
			return
		}
		fn(err)
	}
}
