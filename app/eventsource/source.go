package eventsource

import (
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Source is a connection to an event stream. It reconnects as a browser's
// EventSource does until it is closed or its context ends; a native Source
// also stops when the server answers with something that is not an event
// stream. In the browser it wraps the EventSource and, unless made
// WithoutSharing, shares one connection with the Sources of the same URL in
// the other tabs of its origin; natively it reads the stream over net/http.
type Source struct {
	url       string // absolute
	opts      options
	state     atomic.Int32
	startOnce sync.Once
	started   atomic.Bool
	done      chan struct{}

	watchMu sync.Mutex // keeps the transport's watches in the order of changeWatch

	mu          sync.Mutex
	listeners   map[string][]*listener
	onAny       []*anyListener
	onOpen      []func()
	onError     []func(error)
	onComment   []func(string)
	lastEventID string
	retryAt     time.Time
	err         error

	platform // what only one build keeps
}

// New returns a Source for the event stream at rawURL, which connects when
// Start is called: add the listeners in between to be sure to see every
// event. An absolute http or https URL works in both builds; a relative one
// resolves against the page's URL in the browser and is refused natively,
// where there is no page.
func New(rawURL string, opts ...Option) (*Source, error) {
	base, err := pageURL()
	if err != nil {
		return nil, fmt.Errorf("eventsource: open %q: %w", rawURL, err)
	}
	u, err := resolveURL(rawURL, base)
	if err != nil {
		return nil, err
	}
	s := &Source{
		url:       u.String(),
		opts:      newOptions(opts),
		done:      make(chan struct{}),
		listeners: map[string][]*listener{},
	}
	s.lastEventID = s.opts.lastEventID
	if err := s.setUp(); err != nil {
		return nil, fmt.Errorf("eventsource: open %q: %w", rawURL, err)
	}
	return s, nil
}

// Open is New then Start: it starts connecting to the event stream at rawURL
// and returns at once, the Source in StateConnecting until the server
// answers. Listeners added after Open may miss the first events, if they come
// quickly. In the browser it resumes from the last event id its tab stored
// before a reload, if any.
func Open(rawURL string, opts ...Option) (*Source, error) {
	s, err := New(rawURL, opts...)
	if err != nil {
		return nil, err
	}
	s.Start()
	return s, nil
}

// resolveURL returns rawURL as an absolute http or https URL. A relative URL
// is resolved against base, the page's URL, or refused if base is nil.
func resolveURL(rawURL string, base *url.URL) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("eventsource: open %q: %w", rawURL, err)
	}
	if !u.IsAbs() {
		if base == nil {
			return nil, fmt.Errorf("eventsource: open %q: a relative URL, and outside the browser there is no page to resolve it against: give an absolute http or https URL", rawURL)
		}
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("eventsource: open %q: not an http or https URL with a host", rawURL)
	}
	return u, nil
}

// Start starts connecting, in the background. Calls after the first, or
// after Close, do nothing.
func (s *Source) Start() {
	s.startOnce.Do(func() {
		s.started.Store(true)
		s.start()
	})
}

// Close closes the connection and stops reconnecting; in the browser it also
// hands a shared connection to another tab and releases its JS functions. No
// listener is called after Close returns, but one that is running when
// another goroutine calls Close may still be: Close does not wait for it, so
// a listener may call Close itself. Done tells when the Source has stopped.
func (s *Source) Close() {
	s.stop()
	s.startOnce.Do(func() { close(s.done) }) // never started: nothing else will close it
}

// Reconnect drops the connection and connects again at once, resuming from
// the last event id, as after a network change or when the server asks the
// client to move. It does not wait for the retry delay and reports no error;
// a Source waiting to retry after a failure tries at once. It does nothing
// before Start or after Close. In the browser, where the Sources of one URL
// share a connection across tabs, it reconnects the shared connection, from
// whichever tab it is called.
func (s *Source) Reconnect() {
	if !s.started.Load() || s.ReadyState() == StateClosed {
		return
	}
	s.reconnectNow()
}

// Done returns a channel that is closed when the Source has stopped for good,
// its ReadyState StateClosed and no listener running or to be called: after
// Close, at the end of its context, or, natively, after a fatal error, once
// the OnError listeners have returned.
func (s *Source) Done() <-chan struct{} { return s.done }

// Err returns the fatal error that stopped the Source, or nil if there was
// none: it is nil after Close or the end of the Source's context. Only a
// native Source meets a fatal error, a *ResponseError: nothing the server
// sends in the stream is fatal. In the browser, whose EventSource hides why
// it gave up, the Source reconnects after a backoff instead, and Err is
// always nil.
func (s *Source) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
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

// URL returns the absolute URL the Source connects to: in the browser, the
// one New was given resolved against the page.
func (s *Source) URL() string { return s.url }

// RetryAt returns when the Source will try to connect again, while it waits
// to after a failure, or the zero Time.
func (s *Source) RetryAt() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.retryAt
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

// setLastEventID records the stream's last event id, which can change
// without an event: natively when a blank line follows an id field alone, in
// the browser when a tab catches up with the one holding the connection.
func (s *Source) setLastEventID(id string) {
	s.mu.Lock()
	s.lastEventID = id
	s.mu.Unlock()
}
