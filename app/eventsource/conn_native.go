//go:build !(js && wasm)

package eventsource

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/heraldhq/herald/shared/sse"
)

// connect makes one request and reads its stream until it ends. It reports
// whether the stream opened, and why it ended: an error that wraps
// ErrConnection if the Source should reconnect.
func (s *Source) connect() (opened bool, err error) {
	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	s.setConnCancel(cancel)
	defer s.setConnCancel(nil)
	req, err := s.newRequest(ctx)
	if err != nil {
		return false, err
	}
	wd := startWatchdog(s.opts.readTimeout, cancel)
	defer wd.stop()
	resp, err := s.client.Do(req)
	if err != nil {
		return false, s.connectionError(wd, err)
	}
	defer resp.Body.Close()
	if err := checkResponse(resp); err != nil {
		return false, err
	}
	body := decodedBody(resp, wd.watch(resp.Body))
	s.opened()
	return true, s.connectionError(wd, s.read(body))
}

// newRequest returns the request of the next attempt, with the headers of a
// browser's EventSource: WithHeader's may replace Cache-Control, not Accept or
// Last-Event-ID, which resumes from the latest last event id that can be sent.
func (s *Source) newRequest(ctx context.Context) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return nil, fmt.Errorf("eventsource: GET %s: %w", s.url, err)
	}
	req.Header.Set("Cache-Control", "no-cache")
	for k, v := range s.opts.request.header {
		req.Header[k] = slices.Clone(v)
	}
	req.Header.Set("Accept", "text/event-stream")
	askForGzip(req)
	req.Header.Del("Last-Event-ID")
	if s.resumeID != "" {
		req.Header.Set("Last-Event-ID", s.resumeID)
	}
	return req, nil
}

// keepResumeID makes id the one the next request resumes from, if it can be
// sent in a header. An id that cannot, such as one with a control byte, is
// still the stream's last event id (LastEventID returns it, and the events
// that follow carry it), but the Source resumes from the latest one before it
// that can: the server may send again events the program has seen, and none
// is lost. An empty id, the server's reset, is sent as no header at all.
func (s *Source) keepResumeID(id string) {
	if validHeaderValue(id) {
		s.resumeID = id
	}
}

// validHeaderValue reports whether net/http sends v as a header value: it
// refuses control bytes other than tab.
func validHeaderValue(v string) bool {
	for i := range len(v) {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// read dispatches the events and comments of body until it ends, and keeps
// the reconnection time it sets. An event over the size limit is reported and
// dropped.
func (s *Source) read(body io.Reader) error {
	r := sse.NewReader(body, sse.WithLastEventID(s.LastEventID()), sse.WithMaxEventSize(s.opts.maxEventSize),
		sse.WithComments(s.comment), sse.WithOversizedDropped())
	defer func() {
		if d, ok := r.Retry(); ok {
			s.retry = d
		}
	}()
	for {
		e, err := r.Next()
		s.setLastEventID(r.LastEventID())
		s.keepResumeID(r.LastEventID())
		switch {
		case errors.Is(err, sse.ErrEventTooLarge):
			s.reportError(&EventTooLargeError{URL: s.url, Limit: s.limit(), Err: err})
		case err != nil:
			return err
		default:
			s.deliver(message{typ: e.Type, data: e.Data, id: e.ID})
		}
	}
}

// limit returns the size limit of the Source's events.
func (s *Source) limit() int {
	if s.opts.maxEventSize > 0 {
		return s.opts.maxEventSize
	}
	return sse.DefaultMaxEventSize
}

// connectionError returns err, the end of a request or of its stream, as an
// error that wraps ErrConnection.
func (s *Source) connectionError(wd *watchdog, err error) error {
	switch {
	case wd.fired.Load():
		return fmt.Errorf("%w: GET %s: no data for %v (the read timeout)", ErrConnection, s.url, wd.d)
	case errors.Is(err, io.EOF):
		return fmt.Errorf("%w: GET %s: the server ended the stream", ErrConnection, s.url)
	case errors.As(err, new(*url.Error)):
		return fmt.Errorf("%w: %w", ErrConnection, err)
	}
	return fmt.Errorf("%w: GET %s: %w", ErrConnection, s.url, err)
}

// watchdog cancels a connection that stays silent for d.
type watchdog struct {
	d     time.Duration
	t     *time.Timer
	fired atomic.Bool
}

// startWatchdog returns a watchdog that calls cancel after d without a read,
// or one that never does if d is 0 or less.
func startWatchdog(d time.Duration, cancel func()) *watchdog {
	w := &watchdog{d: d}
	if d > 0 {
		w.t = time.AfterFunc(d, func() {
			w.fired.Store(true)
			cancel()
		})
	}
	return w
}

func (w *watchdog) stop() {
	if w.t != nil {
		w.t.Stop()
	}
}

// watch returns r with each read that returns bytes putting the deadline off.
func (w *watchdog) watch(r io.Reader) io.Reader {
	if w.t == nil {
		return r
	}
	return watchedReader{r, w}
}

type watchedReader struct {
	r io.Reader
	w *watchdog
}

// Read reads from the body and, if bytes came, puts the deadline off.
func (wr watchedReader) Read(p []byte) (int, error) {
	n, err := wr.r.Read(p)
	if n > 0 {
		wr.w.t.Reset(wr.w.d)
	}
	return n, err
}

// httpClient returns the client of the Source: a copy of the one given, or a
// new one, with no Timeout, a cookie jar as the options say, and the
// Source's redirect policy.
func (s *Source) httpClient() *http.Client {
	var c http.Client
	if s.opts.request.client != nil {
		c = *s.opts.request.client
	}
	c.Timeout = 0
	if s.opts.request.jar != nil {
		c.Jar = s.opts.request.jar
	}
	if c.Jar == nil && s.opts.withCredentials {
		c.Jar, _ = cookiejar.New(nil) // it never fails without options
	}
	c.CheckRedirect = s.checkRedirect(c.CheckRedirect)
	return &c
}

// maxRedirects is how many redirects in a row a Source follows, as net/http.
const maxRedirects = 10

// checkRedirect returns a redirect policy that drops the headers of
// WithHeader and any credentials once a redirect has left the origin of the
// first request, then defers to next, if any.
func (s *Source) checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if leftOrigin(req, via) {
			for k := range s.opts.request.header {
				req.Header.Del(k)
			}
			for _, k := range []string{"Authorization", "Cookie", "Proxy-Authorization"} {
				req.Header.Del(k)
			}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		return nil
	}
}

// leftOrigin reports whether req or one of the requests before it, via, has
// an origin other than the first's.
func leftOrigin(req *http.Request, via []*http.Request) bool {
	first := origin(via[0].URL)
	if origin(req.URL) != first {
		return true
	}
	for _, r := range via[1:] {
		if origin(r.URL) != first {
			return true
		}
	}
	return false
}

// origin returns the scheme, host and port of u, with the scheme's default
// port made explicit.
func origin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return u.Scheme + "://" + strings.ToLower(u.Hostname()) + ":" + port
}
