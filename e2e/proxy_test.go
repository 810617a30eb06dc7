package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"
)

// streamProxy is a reverse proxy in front of a herald instance, for the
// browser to load the app through. It sees every event stream the server
// serves: it counts those open now, the most open at once, and all opened,
// records the header fields of each, and it can hold new ones back, as a
// network that does not answer yet.
type streamProxy struct {
	URL string

	mu      sync.Mutex
	open    int
	peak    int
	opened  int
	asked   []string // URLs of the streams asked for since the last hold
	seen    []streamHeaders
	waiting int           // streams waiting at the gate now
	gate    chan struct{} // closed while streams may pass
}

// newStreamProxy starts a proxy to in; it stops when the test ends.
func newStreamProxy(t *testing.T, in *instance) *streamProxy {
	t.Helper()
	target, err := url.Parse(in.URL)
	if err != nil {
		t.Fatal(err)
	}
	p := &streamProxy{gate: make(chan struct{})}
	close(p.gate)
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ModifyResponse = func(resp *http.Response) error {
		if i, ok := resp.Request.Context().Value(streamIndex{}).(int); ok {
			p.mu.Lock()
			p.seen[i].contentEncoding = resp.Header.Get("Content-Encoding")
			p.mu.Unlock()
		}
		return nil
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/events" {
			i, ok := p.pass(r)
			if !ok {
				return
			}
			defer p.done()
			r = r.WithContext(context.WithValue(r.Context(), streamIndex{}, i))
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		ts.CloseClientConnections()
		ts.Close()
	})
	p.URL = ts.URL
	return p
}

// streamIndex keys the index of a stream in streamProxy.seen in the
// context of its request.
type streamIndex struct{}

// streamHeaders are the header fields of a stream that tell its encoding
// and where it resumes.
type streamHeaders struct {
	acceptEncoding, lastEventID, contentEncoding string
}

// pass records the stream's request, waits at the gate, then counts the
// stream open and returns its index in seen. It reports false if the
// client went away first.
func (p *streamProxy) pass(r *http.Request) (int, bool) {
	p.mu.Lock()
	gate := p.gate
	p.waiting++
	p.asked = append(p.asked, r.URL.String())
	i := len(p.seen)
	p.seen = append(p.seen, streamHeaders{acceptEncoding: r.Header.Get("Accept-Encoding"), lastEventID: r.Header.Get("Last-Event-ID")})
	p.mu.Unlock()
	select {
	case <-gate:
	case <-r.Context().Done():
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.waiting--
	if r.Context().Err() != nil {
		return i, false
	}
	p.open++
	p.opened++
	p.peak = max(p.peak, p.open)
	return i, true
}

func (p *streamProxy) done() {
	p.mu.Lock()
	p.open--
	p.mu.Unlock()
}

// hold makes new streams wait until release.
func (p *streamProxy) hold() {
	p.mu.Lock()
	p.gate = make(chan struct{})
	p.asked = nil
	p.mu.Unlock()
}

// release lets the waiting streams, and new ones, through.
func (p *streamProxy) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.gate:
	default:
		close(p.gate)
	}
}

// stats returns the streams open now, the most open at once, all opened,
// those waiting at the gate, and the URLs of the streams asked for since the
// last hold.
func (p *streamProxy) stats() (open, peak, opened, waiting int, urls []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.open, p.peak, p.opened, p.waiting, append([]string(nil), p.asked...)
}

// resetPeak starts counting the most streams open at once from now.
func (p *streamProxy) resetPeak() {
	p.mu.Lock()
	p.peak = p.open
	p.mu.Unlock()
}

// streams returns the header fields of every stream asked for, in order,
// with the Content-Encoding of those answered.
func (p *streamProxy) streams() []streamHeaders {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]streamHeaders(nil), p.seen...)
}
