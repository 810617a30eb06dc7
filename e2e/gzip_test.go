package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// A page's EventSource on a gzip stream gets each event within a second of
// its publication, and, once the stream ends at its lifetime, resumes with
// Last-Event-ID on a gzip stream again, missing nothing published between.
func TestABrowserOnAGzipStreamGetsEveryEventAcrossAReconnect(t *testing.T) {
	in := startHerald(t, "-demo=false", "-max-lifetime=4s", "-retry=200ms")
	p := newEncodingProxy(t, in)
	ctx := newBrowser(t)
	evalJS[bool](t, ctx, `(location.href = "`+p.URL+`/app.css", true)`)
	waitJS(t, ctx, `location.pathname === "/app.css" && document.readyState === "complete"`, 10*time.Second)
	evalJS[bool](t, ctx, `(() => {
		window.got = [];
		const es = new EventSource("/events?topic=public");
		es.addEventListener("notification", e => got.push(JSON.parse(e.data).message));
		return true;
	})()`)
	waitUntil(t, 10*time.Second, "the page's stream to open", func() bool { return len(p.streams()) == 1 })

	seen := 0
	expect := func(msg string, within time.Duration) {
		t.Helper()
		seen++
		waitJS(t, ctx, fmt.Sprintf(`got.length >= %d && got[%d] === %q`, seen, seen-1, msg), within)
	}
	for _, msg := range []string{"one", "two"} {
		in.publish(t, notification("ann", msg, "info"))
		expect(msg, time.Second)
	}

	p.hold()
	waitUntil(t, 10*time.Second, "the stream's lifetime to end and the page to ask again", func() bool { return len(p.streams()) == 2 })
	in.publish(t, batch(notification("ann", "while away 1", "info"), notification("ann", "while away 2", "info")))
	p.release()
	expect("while away 1", 5*time.Second)
	expect("while away 2", time.Second)
	in.publish(t, notification("ann", "after", "info"))
	expect("after", time.Second)
	if n := evalJS[int](t, ctx, `got.length`); n != seen {
		t.Errorf("the page got %s, %d events; want the %d published, each once", evalJS[string](t, ctx, `JSON.stringify(got)`), n, seen)
	}

	streams := p.streams()
	for i, s := range streams {
		if !strings.Contains(s.acceptEncoding, "gzip") || s.contentEncoding != "gzip" {
			t.Errorf("stream %d: Accept-Encoding %q answered with Content-Encoding %q, want gzip", i, s.acceptEncoding, s.contentEncoding)
		}
	}
	if streams[0].lastEventID != "" || streams[1].lastEventID == "" {
		t.Errorf("Last-Event-ID of the streams: %q then %q, want none then the last event's", streams[0].lastEventID, streams[1].lastEventID)
	}
}

// encodingProxy is a reverse proxy in front of a herald instance that
// records the encodings of each event stream, and can hold new streams back.
type encodingProxy struct {
	URL string

	mu     sync.Mutex
	seen   []streamHeaders
	gate   chan struct{} // closed while streams may pass
	passed int           // streams let through
}

// streamHeaders are the header fields of a stream that tell its encoding
// and where it resumes.
type streamHeaders struct {
	acceptEncoding, lastEventID, contentEncoding string
}

// newEncodingProxy starts a proxy to in; it stops when the test ends.
func newEncodingProxy(t *testing.T, in *instance) *encodingProxy {
	t.Helper()
	target, err := url.Parse(in.URL)
	if err != nil {
		t.Fatal(err)
	}
	p := &encodingProxy{gate: make(chan struct{})}
	close(p.gate)
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.URL.Path == "/events" {
			p.answered(resp.Header.Get("Content-Encoding"))
		}
		return nil
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/events" && !p.asked(r) {
			return
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

// asked records a stream's request and waits at the gate. It reports false
// if the client went away first.
func (p *encodingProxy) asked(r *http.Request) bool {
	p.mu.Lock()
	p.seen = append(p.seen, streamHeaders{acceptEncoding: r.Header.Get("Accept-Encoding"), lastEventID: r.Header.Get("Last-Event-ID")})
	gate := p.gate
	p.mu.Unlock()
	select {
	case <-gate:
		return true
	case <-r.Context().Done():
		return false
	}
}

// answered records the Content-Encoding of the answer to the stream last
// let through.
func (p *encodingProxy) answered(contentEncoding string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen[p.passed].contentEncoding = contentEncoding
	p.passed++
}

// hold makes new streams wait until release.
func (p *encodingProxy) hold() {
	p.mu.Lock()
	p.gate = make(chan struct{})
	p.mu.Unlock()
}

// release lets the waiting streams, and new ones, through.
func (p *encodingProxy) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	close(p.gate)
}

// streams returns the headers of the streams asked for so far.
func (p *encodingProxy) streams() []streamHeaders {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]streamHeaders(nil), p.seen...)
}
