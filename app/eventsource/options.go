package eventsource

import (
	"context"
	"time"
)

// Option configures a Source. The options below exist in both builds; the
// ones a build cannot honour say what it does with them. The options that
// shape the native Source's HTTP requests (WithHTTPClient, WithHeader and
// WithCookieJar) exist only natively: the browser makes the requests of its
// EventSource itself, and net/http would add a fifth to app.wasm.
type Option func(*options)

type options struct {
	ctx             context.Context
	withCredentials bool
	noSharing       bool
	noStoredID      bool
	retry           time.Duration
	lastEventID     string
	lastEventIDSet  bool
	readTimeout     time.Duration
	maxEventSize    int
	request         requestOptions // the native Source's own
}

// newOptions returns the defaults with opts applied.
func newOptions(opts []Option) options {
	o := options{ctx: context.Background(), retry: DefaultRetry, readTimeout: DefaultReadTimeout}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithContext ties the Source to ctx: when ctx is done the Source closes, as
// if Close had been called.
func WithContext(ctx context.Context) Option {
	return func(o *options) { o.ctx = ctx }
}

// WithCredentials sends cookies with a cross-origin stream request, like the
// browser's EventSource withCredentials flag. A native Source, which has no
// cookies of its own, gets a cookie jar for it unless WithCookieJar or its
// HTTP client gives one.
func WithCredentials() Option {
	return func(o *options) { o.withCredentials = true }
}

// WithRetry sets the reconnection time that the Source starts with, until
// the server sends a retry field; see DefaultRetry, the default. In the
// browser, which reconnects on its own, it should be the server's retry, so
// that RetryAt tells the truth.
func WithRetry(d time.Duration) Option {
	return func(o *options) { o.retry = max(d, 0) }
}

// WithLastEventID makes the Source resume from id: its first request asks
// for the events after it, and LastEventID returns it until an event changes
// it. In the browser it takes the place of the id its tab stored before a
// reload.
func WithLastEventID(id string) Option {
	return func(o *options) { o.lastEventID, o.lastEventIDSet = id, true }
}

// WithoutSharing makes the Source open a connection of its own. By default,
// in the browser, the Sources of one URL in the tabs of one origin share a
// single connection: the tab that holds it (elected with the Web Locks API)
// relays its events to the others over a BroadcastChannel, and when that tab
// goes another takes over from the last event id. A native Source always has
// a connection of its own: there the option does nothing.
func WithoutSharing() Option {
	return func(o *options) { o.noSharing = true }
}

// WithoutStoredID makes the Source forget its last event id when the page
// goes. By default, in the browser, a Source keeps the id in the tab's
// sessionStorage, so that after a reload it resumes where the page was. A
// native Source never stores it: there the option does nothing.
func WithoutStoredID() Option {
	return func(o *options) { o.noStoredID = true }
}

// WithReadTimeout sets how long a native Source waits for the response, and
// then for each read of the stream, before it takes the connection for dead
// and reconnects. The default is DefaultReadTimeout; 0 or less waits for
// ever. The browser's EventSource has no read timeout: there the option does
// nothing.
func WithReadTimeout(d time.Duration) Option {
	return func(o *options) { o.readTimeout = d }
}

// WithMaxEventSize sets the most bytes the data of one event, or the value of
// one of its fields, may hold; the default is sse.DefaultMaxEventSize (1 MiB).
// It bounds the memory of a native Source. A native Source drops an event over
// it, reporting an *EventTooLargeError to the OnError listeners, and goes on
// with the next event: it neither buffers the dropped event nor closes. The
// browser's EventSource has no such limit: there the option does nothing.
func WithMaxEventSize(n int) Option {
	return func(o *options) { o.maxEventSize = n }
}
