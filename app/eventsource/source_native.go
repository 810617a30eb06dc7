//go:build !(js && wasm)

package eventsource

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/heraldhq/herald/shared/sse"
)

// Defaults of a native Source.
const (
	// DefaultRetry is the reconnection time until the server sends a retry
	// field, as in Chromium.
	DefaultRetry = 3 * time.Second
	// DefaultReadTimeout is how long a connection may stay silent before the
	// Source takes it for dead and reconnects: three of Herald's 15-second
	// heartbeats.
	DefaultReadTimeout = 45 * time.Second
)

// ErrConnection reports a connection that could not be made, broke, went
// silent past the read timeout, or ended. The Source reconnects after it
// unless its ReadyState is StateClosed.
var ErrConnection = errors.New("eventsource: connection error")

type platformOptions struct {
	ctx          context.Context
	client       *http.Client
	header       http.Header
	jar          http.CookieJar
	retry        time.Duration
	readTimeout  time.Duration
	lastEventID  string
	maxEventSize int
}

// WithContext ties the Source to ctx: when ctx is done the Source closes, as
// if Close had been called.
func WithContext(ctx context.Context) Option {
	return func(o *options) { o.ctx = ctx }
}

// WithHTTPClient makes the Source send its requests with c instead of a
// client of its own. The Source uses a copy of c without its Timeout, which
// would cut every stream, and with a redirect policy that keeps WithHeader's
// headers and credentials to the origin of the URL; c's own CheckRedirect, if
// any, is called after it.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) { o.client = c }
}

// WithHeader adds a header to every request of the Source, such as an
// Authorization header. It is not sent to another origin that a redirect
// leads to. The headers of the protocol (Accept, Cache-Control and
// Last-Event-ID) are the Source's own and cannot be set.
func WithHeader(key, value string) Option {
	return func(o *options) {
		if o.header == nil {
			o.header = http.Header{}
		}
		o.header.Add(key, value)
	}
}

// WithCookieJar makes the Source send the cookies of jar and keep the ones the
// server sets. Without it the Source uses its HTTP client's jar, if any, and
// WithCredentials gives it a jar of its own.
func WithCookieJar(jar http.CookieJar) Option {
	return func(o *options) { o.jar = jar }
}

// WithRetry sets the reconnection time that the Source starts with, until
// the server sends a retry field. The default is DefaultRetry.
func WithRetry(d time.Duration) Option {
	return func(o *options) { o.retry = max(d, 0) }
}

// WithReadTimeout sets how long the Source waits for the response, and then
// for each read of the stream, before it takes the connection for dead and
// reconnects. The default is DefaultReadTimeout; 0 or less waits for ever.
func WithReadTimeout(d time.Duration) Option {
	return func(o *options) { o.readTimeout = d }
}

// WithLastEventID makes the Source resume from id: its first request sends
// it as Last-Event-ID, and LastEventID returns it until an event changes it.
func WithLastEventID(id string) Option {
	return func(o *options) { o.lastEventID = id }
}

// WithMaxEventSize sets the most bytes the data of one event may hold; the
// default is sse.DefaultMaxEventSize. A larger event closes the Source with an
// error that wraps sse.ErrEventTooLarge.
func WithMaxEventSize(n int) Option {
	return func(o *options) { o.maxEventSize = n }
}

// Source is a connection to an event stream over net/http. It reconnects as
// a browser's EventSource does until it is closed, its context ends, or the
// server answers with something that is not an event stream.
type Source struct {
	hub
	target *url.URL
	client *http.Client
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	calls  atomic.Int32 // callsIdle, callsRunning or callsClosed
	retry  time.Duration

	startOnce sync.Once

	errMu sync.Mutex
	err   error

	anyMu sync.Mutex
	onAny []*anyListener
}

// The states of a Source's calls to listeners.
const (
	callsIdle = iota
	callsRunning
	callsClosed
)

type anyListener struct{ fn func(sse.Event) }

// Open starts connecting to the event stream at rawURL, which must be an
// absolute http or https URL, and returns at once: the Source is in
// StateConnecting until the server answers. Listeners added after Open may
// miss the first events, if they come quickly; to be sure to see every event,
// make the Source with New, add the listeners, then Start it.
func Open(rawURL string, opts ...Option) (*Source, error) {
	s, err := New(rawURL, opts...)
	if err != nil {
		return nil, err
	}
	s.Start()
	return s, nil
}

// New returns a Source for the event stream at rawURL, which must be an
// absolute http or https URL, that connects when Start is called.
func New(rawURL string, opts ...Option) (*Source, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("eventsource: open %q: %w", rawURL, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("eventsource: open %q: not an absolute http or https URL", rawURL)
	}
	s := &Source{target: u, done: make(chan struct{})}
	s.opts.platformOptions = platformOptions{ctx: context.Background(), retry: DefaultRetry, readTimeout: DefaultReadTimeout}
	s.hub.init(rawURL, opts)
	s.lastEventID = s.opts.lastEventID
	s.retry = s.opts.retry
	s.client = s.httpClient()
	s.ctx, s.cancel = context.WithCancel(s.opts.ctx)
	context.AfterFunc(s.ctx, s.stopCalls)
	return s, nil
}

// Start starts connecting, in the background. Calls after the first, or
// after Close, do nothing.
func (s *Source) Start() {
	s.startOnce.Do(func() { go s.run() })
}

// OnAny calls fn with every event the Source receives, whatever its type,
// after the listeners of its type. The event's ID is the stream's last event
// ID, as for every listener, and its Type is "message" when the server named
// none. The returned function removes the listener; calling it again does
// nothing. OnAny is not in the browser build, whose EventSource can only
// listen to types it names.
func (s *Source) OnAny(fn func(sse.Event)) (remove func()) {
	l := &anyListener{fn: fn}
	s.anyMu.Lock()
	s.onAny = append(s.onAny, l)
	s.anyMu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.anyMu.Lock()
			defer s.anyMu.Unlock()
			for i, x := range s.onAny {
				if x == l {
					s.onAny = append(s.onAny[:i:i], s.onAny[i+1:]...)
					return
				}
			}
		})
	}
}

// Close closes the connection and stops reconnecting. No listener is called
// after Close returns, but one that is running when another goroutine calls
// Close may still be: Close does not wait for it, so a listener may call
// Close itself.
func (s *Source) Close() {
	s.stopCalls()
	s.cancel()
	s.startOnce.Do(func() { close(s.done) }) // never started: nothing will close it
}

// Done returns a channel that is closed when the Source has stopped for good:
// after Close, at the end of its context, or after a fatal error, once the
// OnError listeners have returned.
func (s *Source) Done() <-chan struct{} { return s.done }

// Err returns the fatal error that stopped the Source, a *ResponseError or an
// error that wraps sse.ErrEventTooLarge, or nil if there was none (it is nil
// after Close or the end of the Source's context).
func (s *Source) Err() error {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	return s.err
}

// stopCalls makes the Source closed for good and its listeners uncalled.
func (s *Source) stopCalls() {
	s.calls.Store(callsClosed)
	s.setState(StateClosed)
}

// call runs fn, which calls listeners, unless the Source is closed.
func (s *Source) call(fn func()) {
	if !s.calls.CompareAndSwap(callsIdle, callsRunning) {
		return
	}
	defer s.calls.CompareAndSwap(callsRunning, callsIdle)
	fn()
}

// watch does nothing: a native Source reads every event of the stream.
func (s *Source) watch(string) {}

// unwatch does nothing, as watch.
func (s *Source) unwatch(string) {}

// dispatch hands e to the listeners of its type, then to the OnAny ones.
func (s *Source) dispatch(e sse.Event) {
	s.deliver(message{typ: e.Type, data: e.Data, id: e.ID})
	s.anyMu.Lock()
	ls := append([]*anyListener(nil), s.onAny...)
	s.anyMu.Unlock()
	for _, l := range ls {
		l.fn(e)
	}
}

// setLastEventID records the stream's last event ID, which changes without an
// event when a blank line follows an id field alone.
func (s *Source) setLastEventID(id string) {
	s.mu.Lock()
	s.lastEventID = id
	s.mu.Unlock()
}
