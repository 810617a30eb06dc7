// Package eventsource is a typed client for Herald's server-sent events. In the
// browser (GOOS=js GOARCH=wasm) it wraps the native EventSource; in a native Go
// program it speaks the same protocol over net/http. Both builds have the same
// API, declared once; where a build cannot do something, the doc comment says
// so.
//
//	src, err := eventsource.New("/events?topic=public") // absolute natively
//	remove := eventsource.On(src, events.Notify, func(n events.Notification) { … })
//	src.Start()
//	defer src.Close()
//
// Listeners run one at a time, in the order events arrived, on a goroutine of
// the Source's own, never on the browser's event loop.
package eventsource

import (
	"errors"
	"fmt"
	"time"
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

// Defaults of a Source.
const (
	// DefaultRetry is the reconnection time a Source starts with, until the
	// server sends a retry field: 3 seconds, as in Chromium and as Herald's
	// server sends. A native Source waits it before it reconnects; in the
	// browser, which reconnects on its own without saying when, RetryAt counts
	// down from it. After attempts that fail in a row, both back off from it,
	// doubling the delay up to 30 seconds.
	DefaultRetry = 3 * time.Second
	// DefaultReadTimeout is how long a native Source lets a connection stay
	// silent before it takes it for dead and reconnects: three of Herald's
	// 15-second heartbeats. The browser's EventSource has no read timeout.
	DefaultReadTimeout = 45 * time.Second
)

// ErrConnection reports a connection that could not be made or broke, or,
// natively, went silent past the read timeout or was ended by the server. The
// Source tries again at RetryAt, unless its ReadyState is StateClosed. A
// native Source wraps it with what failed; the browser does not say.
var ErrConnection = errors.New("eventsource: connection error")

// DecodeError reports event data that did not decode into its Go type. The event
// is dropped; the stream goes on.
type DecodeError struct {
	Type string // the event type
	ID   string // the event id, if it had one
	Err  error  // what the decoder said
}

// Error says which event did not decode, and why.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("eventsource: event %q (id %q): %v", e.Type, e.ID, e.Err)
}

// Unwrap returns what the decoder said.
func (e *DecodeError) Unwrap() error { return e.Err }

// EventTooLargeError reports an event that a native Source dropped because it
// was over the size limit (WithMaxEventSize): the Source stopped reading its
// data as soon as it passed the limit, skipped the rest of it, and went on with
// the next event on the same connection. The dropped event's id still counts
// as the last event id, so a reconnect does not ask for it again. It wraps
// sse.ErrEventTooLarge.
type EventTooLargeError struct {
	URL   string // the stream's URL
	Limit int    // the size limit, in bytes
	Err   error  // the parser's error, which says where and how large
}

// Error says which stream sent an event over the limit.
func (e *EventTooLargeError) Error() string {
	return fmt.Sprintf("eventsource: GET %s: event dropped: %v", e.URL, e.Err)
}

// Unwrap returns the parser's error, which wraps sse.ErrEventTooLarge.
func (e *EventTooLargeError) Unwrap() error { return e.Err }

// Descriptor is an event type that a listener can decode: shared.Event[T]
// satisfies it.
type Descriptor[T any] interface {
	Name() string
	Decode(data []byte) (T, error)
}
