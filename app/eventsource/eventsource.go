// Package eventsource is a typed client for Herald's server-sent events. In the
// browser (GOOS=js GOARCH=wasm) it wraps the native EventSource; in a native Go
// program it speaks the same protocol over net/http. Both builds share this API:
//
//	src, err := eventsource.Open("/events?topic=public")
//	remove := eventsource.On(src, shared.Notify, func(n shared.Notification) { … })
//	defer src.Close()
//
// Listeners run one at a time, in the order events arrived, on a goroutine of
// the Source's own, never on the browser's event loop.
package eventsource

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/heraldhq/herald/shared"
)

// ReadyState is the state of a Source's connection, as the browser's
// EventSource.readyState reports it.
type ReadyState int32

// The states of a Source.
const (
	StateConnecting ReadyState = 0
	StateOpen       ReadyState = 1
	StateClosed     ReadyState = 2
)

// String returns the state's name.
func (r ReadyState) String() string {
	switch r {
	case StateConnecting:
		return "connecting"
	case StateOpen:
		return "open"
	case StateClosed:
		return "closed"
	}
	return fmt.Sprintf("ReadyState(%d)", int32(r))
}

// Option configures a Source.
type Option func(*options)

// WithCredentials sends cookies with a cross-origin stream request, like the
// browser's EventSource withCredentials flag.
func WithCredentials() Option {
	return func(o *options) { o.withCredentials = true }
}

// WithoutSharing makes the Source open a connection of its own. By default,
// in the browser, the Sources of one URL in the tabs of one origin share a
// single connection: the tab that holds it (elected with the Web Locks API)
// relays its events to the others over a BroadcastChannel, and when that tab
// goes another takes over from the last event id. A native Source always has
// a connection of its own.
func WithoutSharing() Option {
	return func(o *options) { o.noSharing = true }
}

// WithoutStoredID makes the Source forget its last event id when the page
// goes. By default, in the browser, a Source keeps the id in the tab's
// sessionStorage, so that after a reload it resumes where the page was. A
// native Source never stores it.
func WithoutStoredID() Option {
	return func(o *options) { o.noStoredID = true }
}

// DecodeError reports event data that did not decode into its Go type. The event
// is dropped; the stream goes on.
type DecodeError struct {
	Type string // the event type
	ID   string // the event id, if it had one
	Err  error  // what the decoder said
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("eventsource: event %q (id %q): %v", e.Type, e.ID, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// Descriptor is an event type that a listener can decode: shared.Event[T]
// satisfies it.
type Descriptor[T any] interface {
	Name() string
	Decode(data []byte) (T, error)
}

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

// OnError calls fn with each error: connection failures (the Source then
// reconnects unless its ReadyState is StateClosed) and events that did not decode.
func (s *Source) OnError(fn func(error)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onError = append(s.onError, fn)
}

// ReadyState returns the state of the connection.
func (s *Source) ReadyState() ReadyState { return ReadyState(s.state.Load()) }

// LastEventID returns the id of the last event received, the one the Source
// sends to resume after a reconnect.
func (s *Source) LastEventID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastEventID
}

// URL returns the URL the Source connects to.
func (s *Source) URL() string { return s.url }

// RetryAt returns when the Source will try to connect again, while it waits
// to after a failure, or the zero Time.
func (s *Source) RetryAt() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.retryAt
}

type options struct {
	withCredentials bool
	noSharing       bool
	noStoredID      bool
	platformOptions
}

// message is one received event, copied out of the transport. Its id is the
// stream's last event id when it was dispatched, as MessageEvent.lastEventId.
type message struct {
	typ, data, id string
}

type listener struct {
	fn func(message)
}

// hub holds what both builds keep for a Source: listeners and state.
type hub struct {
	url   string
	opts  options
	state atomic.Int32

	mu          sync.Mutex
	listeners   map[string][]*listener
	onOpen      []func()
	onError     []func(error)
	lastEventID string
	retryAt     time.Time
}

// init sets the hub up for url with opts applied.
func (h *hub) init(url string, opts []Option) {
	h.url = url
	h.listeners = map[string][]*listener{}
	for _, o := range opts {
		o(&h.opts)
	}
}

// addListener registers fn for events of type typ. The first listener of a type
// asks the transport to watch that type.
func (s *Source) addListener(typ string, fn func(message)) func() {
	l := &listener{fn: fn}
	s.mu.Lock()
	first := len(s.listeners[typ]) == 0
	s.listeners[typ] = append(s.listeners[typ], l)
	s.mu.Unlock()
	if first {
		s.watch(typ)
	}
	var once sync.Once
	return func() { once.Do(func() { s.removeListener(typ, l) }) }
}

func (s *Source) removeListener(typ string, l *listener) {
	s.mu.Lock()
	ls := s.listeners[typ]
	for i, x := range ls {
		if x == l {
			ls = append(ls[:i:i], ls[i+1:]...)
			break
		}
	}
	last := len(ls) == 0
	if last {
		delete(s.listeners, typ)
	} else {
		s.listeners[typ] = ls
	}
	s.mu.Unlock()
	if last {
		s.unwatch(typ)
	}
}

// deliver hands m to the listeners of its type. It runs on the Source's
// dispatch goroutine only.
func (s *Source) deliver(m message) {
	s.mu.Lock()
	s.lastEventID = m.id
	ls := append([]*listener(nil), s.listeners[m.typ]...)
	s.mu.Unlock()
	for _, l := range ls {
		l.fn(m)
	}
}

// setState sets the state, unless it is StateClosed, which is final: a
// transport that learns of a failure late cannot reopen a closed Source.
func (s *Source) setState(r ReadyState) {
	for {
		old := s.state.Load()
		if ReadyState(old) == StateClosed || s.state.CompareAndSwap(old, int32(r)) {
			return
		}
	}
}

// setRetryAt records when the Source will try to connect again; the zero
// Time when it is not waiting to.
func (s *Source) setRetryAt(t time.Time) {
	s.mu.Lock()
	s.retryAt = t
	s.mu.Unlock()
}

func (s *Source) opened() {
	s.setState(StateOpen)
	s.mu.Lock()
	fns := append([]func(){}, s.onOpen...)
	s.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

func (s *Source) reportError(err error) {
	s.mu.Lock()
	fns := append([]func(error){}, s.onError...)
	s.mu.Unlock()
	for _, fn := range fns {
		fn(err)
	}
}
