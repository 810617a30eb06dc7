//go:build !(js && wasm)

package eventsource

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heraldhq/herald/shared/sse"
)

// wait is how long a test waits for anything before it fails.
const wait = 10 * time.Second

// scripted is a loopback server whose n-th request is served by the n-th
// handler, the last handler serving all requests after it.
type scripted struct {
	*httptest.Server
	reqs chan *http.Request // each request as it arrives

	mu sync.Mutex
	n  int
}

func newScripted(t *testing.T, handlers ...http.HandlerFunc) *scripted {
	t.Helper()
	s := &scripted{reqs: make(chan *http.Request, 100)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		n := s.n
		s.n++
		s.mu.Unlock()
		s.reqs <- r.Clone(r.Context())
		handlers[min(n, len(handlers)-1)](w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// count returns how many requests the server has had.
func (s *scripted) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// nextRequest returns the next request the server received.
func (s *scripted) nextRequest(t *testing.T) *http.Request {
	t.Helper()
	select {
	case r := <-s.reqs:
		return r
	case <-time.After(wait):
		t.Fatal("no request came")
		return nil
	}
}

// startStream answers 200 with the headers of an event stream and body.
func startStream(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	send(w, body)
}

func send(w http.ResponseWriter, s string) {
	fmt.Fprint(w, s)
	w.(http.Flusher).Flush()
}

// kill cuts the connection under the response, as a crash or a network
// failure would, with no end of the chunked body.
func kill(t *testing.T, w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	conn.Close()
}

// hold keeps the stream open until the client goes.
func hold(r *http.Request) { <-r.Context().Done() }

// frames encodes events with ids from to to, inclusive.
func frames(from, to int) string {
	var b []byte
	for i := from; i <= to; i++ {
		b, _ = sse.AppendEvent(b, sse.Event{ID: fmt.Sprint(i), Type: "notification", Data: fmt.Sprintf(`{"user":"u","message":"m%d","level":"info"}`, i)})
	}
	return string(b)
}

// journal records what a Source's listeners see, in order.
type journal struct {
	ch chan string
}

// watch starts a Source on url that records what its open, error and OnAny
// listeners see, and closes it when the test ends.
func watch(t *testing.T, url string, opts ...Option) (*Source, *journal) {
	t.Helper()
	return watchWith(t, url, func(*Source) {}, opts...)
}

// watchWith is watch with setup called to add listeners before the start.
func watchWith(t *testing.T, url string, setup func(*Source), opts ...Option) (*Source, *journal) {
	t.Helper()
	src, err := New(url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	j := &journal{ch: make(chan string, 1000)}
	src.OnOpen(func() { j.ch <- "open" })
	src.OnError(func(err error) { j.ch <- "error: " + err.Error() })
	src.OnAny(func(e sse.Event) { j.ch <- fmt.Sprintf("event %s %s %s", e.ID, e.Type, e.Data) })
	setup(src)
	src.Start()
	t.Cleanup(func() {
		src.Close()
		select {
		case <-src.Done():
		case <-time.After(wait):
			t.Error("the Source did not stop after Close")
		}
	})
	return src, j
}

// next returns the next entry of the journal.
func (j *journal) next(t *testing.T) string {
	t.Helper()
	select {
	case s := <-j.ch:
		return s
	case <-time.After(wait):
		t.Fatal("nothing came")
		return ""
	}
}

// expect reads len(want) entries and checks each starts as want says.
func (j *journal) expect(t *testing.T, want ...string) {
	t.Helper()
	for _, w := range want {
		if got := j.next(t); !strings.HasPrefix(got, w) {
			t.Fatalf("got %q, want %q", got, w)
		}
	}
}

// waitDone waits for the Source to stop.
func waitDone(t *testing.T, src *Source) {
	t.Helper()
	select {
	case <-src.Done():
	case <-time.After(wait):
		t.Fatal("the Source did not stop")
	}
}
