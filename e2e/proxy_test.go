package e2e

import (
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
// and it can hold new ones back, as a network that does not answer yet.
type streamProxy struct {
	URL string

	mu      sync.Mutex
	open    int
	peak    int
	opened  int
	asked   []string      // URLs of the streams asked for since the last hold
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
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/events" {
			if !p.pass(r) {
				return
			}
			defer p.done()
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

// pass waits at the gate, then counts the stream open. It reports false if
// the client went away first.
func (p *streamProxy) pass(r *http.Request) bool {
	p.mu.Lock()
	gate := p.gate
	p.waiting++
	p.asked = append(p.asked, r.URL.String())
	p.mu.Unlock()
	select {
	case <-gate:
	case <-r.Context().Done():
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.waiting--
	if r.Context().Err() != nil {
		return false
	}
	p.open++
	p.opened++
	p.peak = max(p.peak, p.open)
	return true
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
