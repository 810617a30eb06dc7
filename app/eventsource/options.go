package eventsource

import (
	"context"
	"net/http"
	"time"
)

// Option configures a Source. Every option exists in both builds; the ones a
// build cannot honour say what it does with them.
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
	client          *http.Client
	header          http.Header
	jar             http.CookieJar
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

// WithMaxEventSize sets the most bytes the data of one event may hold; the
// default is sse.DefaultMaxEventSize. A larger event closes a native Source
// with an error that wraps sse.ErrEventTooLarge. The browser's EventSource
// has no such limit: there the option does nothing.
func WithMaxEventSize(n int) Option {
	return func(o *options) { o.maxEventSize = n }
}

// WithHTTPClient makes a native Source send its requests with c instead of a
// client of its own. The Source uses a copy of c without its Timeout, which
// would cut every stream, and with a redirect policy that keeps WithHeader's
// headers and credentials to the origin of the URL; c's own CheckRedirect, if
// any, is called after it. The browser makes the requests of its EventSource
// itself: there New refuses the option.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) { o.client = c }
}

// WithHeader adds a header to every request of a native Source, such as an
// Authorization header. It is not sent to another origin that a redirect
// leads to. The headers of the protocol (Accept, Cache-Control and
// Last-Event-ID) are the Source's own and cannot be set. The browser's
// EventSource cannot send headers: there New refuses the option.
func WithHeader(key, value string) Option {
	return func(o *options) {
		if o.header == nil {
			o.header = http.Header{}
		}
		o.header.Add(key, value)
	}
}

// WithCookieJar makes a native Source send the cookies of jar and keep the
// ones the server sets. Without it the Source uses its HTTP client's jar, if
// any, and WithCredentials gives it a jar of its own. The browser keeps its
// own cookies: there New refuses the option.
func WithCookieJar(jar http.CookieJar) Option {
	return func(o *options) { o.jar = jar }
}
