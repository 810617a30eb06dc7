//go:build !(js && wasm)

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/shared/sse"
)

// herald is Herald's own server on loopback, behind a handler that counts the
// POSTs to /publish and may step in before them.
type herald struct {
	url   string
	posts atomic.Int32
	keys  chan string // the Idempotency-Key of each POST, if not full
	// before, if set, runs before each POST reaches the server, with its
	// number from 1; it answers the POST itself by returning true.
	before func(n int32, w http.ResponseWriter, r *http.Request, next http.Handler) bool
}

func newHerald(t *testing.T) *herald {
	t.Helper()
	srv, err := server.New(server.Config{Schema: events.Schema, PublishToken: "secret", Retry: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	srv.Mount(mux)
	h := &herald{keys: make(chan string, 16)}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/publish" {
			n := h.posts.Add(1)
			select {
			case h.keys <- r.Header.Get("Idempotency-Key"):
			default:
			}
			if h.before != nil && h.before(n, w, r, mux) {
				return
			}
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		hs.Close()
		srv.Drain()
	})
	h.url = hs.URL
	return h
}

// storedAfter returns the next n events of topic public after the event id,
// as the server's stream replays them.
func (h *herald) storedAfter(t *testing.T, id string, n int) []sse.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.url+"/events?topic=public", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Last-Event-ID", id)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r := sse.NewReader(resp.Body)
	events := make([]sse.Event, 0, n)
	for len(events) < n {
		e, err := r.Next()
		if err != nil {
			t.Fatalf("the stream after %s ended after %d of %d events: %v", id, len(events), n, err)
		}
		events = append(events, e)
	}
	return events
}

// publishMarker publishes one more event and returns its id, so that a
// replay up to it shows every event stored before it.
func (h *herald) publishMarker(t *testing.T) string {
	t.Helper()
	code, stdout, stderr := run(t, publishCmd, "--url", h.url, "--token", "secret", "--topic", events.PublicTopic,
		"--type", "notification", "--data", `{"user":"test","message":"marker"}`)
	if code != 0 {
		t.Fatalf("publish the marker: exit %d, stderr:\n%s", code, stderr)
	}
	return strings.TrimSpace(stdout)
}

// lockedBuffer is a buffer that a command writes while a test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// lines returns the lines written so far.
func (b *lockedBuffer) lines() []string {
	return strings.Fields(b.String())
}

// publishFrom runs herald publish - on in against h, with ctx, bounded.
func publishFrom(t *testing.T, ctx context.Context, h *herald, in io.Reader, stdout *lockedBuffer, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	var stderr lockedBuffer
	args = append([]string{"-", "--url", h.url, "--token", "secret"}, args...)
	code := Publish(ctx, args, in, stdout, &stderr)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Errorf("%v did not end in %v; stderr:\n%s", args, wait, stderr.String())
	}
	return code, stderr.String()
}

// notification returns a line of input: a notification on topic public.
func notification(msg string) string {
	return fmt.Sprintf(`{"topic":"public","type":"notification","data":{"user":"ana","message":%q}}`, msg)
}

// notifications returns n lines of input saying m1 to mn.
func notifications(n int) []string {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = notification(fmt.Sprintf("m%d", i+1))
	}
	return lines
}

// checkStored checks that the server holds, after the event first, the
// events whose ids are rest, saying m2, m3…, and nothing else before a marker.
func checkStored(t *testing.T, h *herald, first string, rest []string) {
	t.Helper()
	marker := h.publishMarker(t)
	got := h.storedAfter(t, first, len(rest)+1)
	for i, e := range got[:len(rest)] {
		n, err := events.Notify.Decode([]byte(e.Data))
		if want := fmt.Sprintf("m%d", i+2); e.ID != rest[i] || err != nil || n.Message != want {
			t.Fatalf("stored event %d after %s is %s %q (%v), want %s saying %s", i+1, first, e.ID, e.Data, err, rest[i], want)
		}
	}
	if last := got[len(rest)]; last.ID != marker {
		t.Errorf("after the events published came %s %q, want only the marker %s", last.ID, last.Data, marker)
	}
}

func TestPublishStdinSendsEveryLineInFewBatches(t *testing.T) {
	h := newHerald(t)
	in := strings.Join(notifications(2500), "\n") + "\n"
	var stdout lockedBuffer
	code, stderr := publishFrom(t, context.Background(), h, strings.NewReader(in), &stdout, "--flush-after", "1m")
	ids := stdout.lines()
	if code != 0 || len(ids) != 2500 {
		t.Fatalf("exit %d, %d ids, stderr:\n%s\nwant 0 and 2500 ids", code, len(ids), stderr)
	}
	if n := h.posts.Load(); n > 3 {
		t.Errorf("%d POSTs for 2500 events, want 3 at most", n)
	}
	checkStored(t, h, ids[0], ids[1:])
}

func TestPublishStdinStopsAtABadLine(t *testing.T) {
	tests := []struct {
		name, line7, wantStderr string
		blank                   []int // lines left blank before line 7
	}{
		{name: "a line that is not JSON", line7: `{"topic":"public",`, wantStderr: "line 7 is not valid JSON"},
		{name: "a line that is not an object", line7: `["public"]`, wantStderr: "line 7 is not a JSON object"},
		{name: "a line with an unknown field", line7: `{"topic":"public","type":"notification","data":{},"user":"x"}`, wantStderr: `line 7 is not an event: json: unknown field "user"`},
		{name: "a line without a topic", line7: `{"type":"notification","data":{}}`, wantStderr: "line 7 has a bad topic: topic is empty"},
		{name: "a line without data", line7: `{"topic":"public","type":"notification"}`, wantStderr: "line 7 has no data"},
		{name: "a type the server does not know", line7: `{"topic":"public","type":"nope","data":{}}`, wantStderr: `line 7: POST ` + "%URL%" + `/publish: the server answered 400 Bad Request: unknown event type "nope"`},
		{name: "data the server refuses", line7: `{"topic":"public","type":"notification","data":{"user":1}}`, wantStderr: "line 7: POST"},
		{name: "blank lines count", line7: "nope", blank: []int{2, 5}, wantStderr: "line 7 is not valid JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHerald(t)
			lines := notifications(10)
			lines[6] = tc.line7
			for _, n := range tc.blank {
				lines[n-1] = "  "
			}
			var stdout lockedBuffer
			// With --flush-after 1m, lines 1 to 10 would go in one batch.
			code, stderr := publishFrom(t, context.Background(), h, strings.NewReader(strings.Join(lines, "\n")), &stdout, "--flush-after", "1m")
			want := strings.ReplaceAll(tc.wantStderr, "%URL%", h.url)
			ids := stdout.lines()
			if code != 1 || !strings.Contains(stderr, want) || len(ids) != 6-len(tc.blank) {
				t.Fatalf("exit %d, ids %q, stderr:\n%s\nwant 1, %d ids and %q", code, ids, stderr, 6-len(tc.blank), want)
			}
			if len(tc.blank) == 0 {
				checkStored(t, h, ids[0], ids[1:])
			}
		})
	}
}

func TestPublishStdinSkipsBlankLines(t *testing.T) {
	h := newHerald(t)
	lines := notifications(3)
	in := "\n" + lines[0] + "\r\n\n   \n" + lines[1] + "\n\t\r\n" + lines[2] // the last line without a newline
	var stdout lockedBuffer
	code, stderr := publishFrom(t, context.Background(), h, strings.NewReader(in), &stdout)
	ids := stdout.lines()
	if code != 0 || len(ids) != 3 {
		t.Fatalf("exit %d, ids %q, stderr:\n%s\nwant 0 and 3 ids", code, ids, stderr)
	}
	checkStored(t, h, ids[0], ids[1:])
}

func TestPublishStdinSendsWhatWaits(t *testing.T) {
	h := newHerald(t)
	pr, pw := io.Pipe()
	var stdout lockedBuffer
	done := make(chan int, 1)
	go func() {
		code, _ := publishFrom(t, context.Background(), h, pr, &stdout)
		done <- code
	}()
	defer pw.Close()
	lines := notifications(2)
	if _, err := io.WriteString(pw, lines[0]+"\n"); err != nil {
		t.Fatal(err)
	}
	// The input pauses: the first event must be published before the second
	// line comes, well before publish would end with its context.
	for deadline := time.Now().Add(wait / 3); len(stdout.lines()) == 0 && time.Now().Before(deadline); {
		select {
		case code := <-done:
			t.Fatalf("publish ended with %d before the second line", code)
		case <-time.After(10 * time.Millisecond):
		}
	}
	if got := stdout.lines(); len(got) != 1 {
		t.Fatalf("while the input paused, publish printed %q, want one id", got)
	}
	if _, err := io.WriteString(pw, lines[1]+"\n"); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if code := <-done; code != 0 || len(stdout.lines()) != 2 || h.posts.Load() != 2 {
		t.Errorf("exit %d, ids %q, %d POSTs; want 0, two ids and two POSTs", code, stdout.lines(), h.posts.Load())
	}
}

func TestPublishStdinRetriesWithTheSameKey(t *testing.T) {
	h := newHerald(t)
	// The first POST is stored, but its answer is lost in a 503.
	h.before = func(n int32, w http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if n > 1 {
			return false
		}
		next.ServeHTTP(httptest.NewRecorder(), r)
		w.Header().Set("Retry-After", "0")
		http.Error(w, `{"error":"busy"}`, http.StatusServiceUnavailable)
		return true
	}
	var stdout lockedBuffer
	code, stderr := publishFrom(t, context.Background(), h, strings.NewReader(strings.Join(notifications(3), "\n")), &stdout, "--flush-after", "1m")
	ids := stdout.lines()
	if code != 0 || len(ids) != 3 || h.posts.Load() != 2 {
		t.Fatalf("exit %d, ids %q, %d POSTs, stderr:\n%s\nwant 0, 3 ids and 2 POSTs", code, ids, h.posts.Load(), stderr)
	}
	if k1, k2 := <-h.keys, <-h.keys; k1 == "" || k1 != k2 {
		t.Errorf("Idempotency-Keys %q and %q, want the same key for the retry", k1, k2)
	}
	checkStored(t, h, ids[0], ids[1:])
}

func TestPublishStdinFails(t *testing.T) {
	tests := []struct {
		name       string
		before     func(n int32, w http.ResponseWriter, r *http.Request, next http.Handler) bool
		args       []string
		wantPosts  int32
		wantStderr string
	}{
		{name: "a wrong token prints the server's error", args: []string{"--token", "wrong"}, wantPosts: 1,
			wantStderr: "lines 1 to 3: POST %URL%/publish: the server answered 401 Unauthorized: wrong publish token"},
		{name: "a 503 is retried a bounded number of times", wantPosts: maxRetries + 1,
			before: func(n int32, w http.ResponseWriter, r *http.Request, next http.Handler) bool {
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(http.StatusServiceUnavailable)
				io.WriteString(w, `{"error":"publish: draining"}`)
				return true
			},
			wantStderr: "503 Service Unavailable: publish: draining (sent 6 times)"},
		{name: "a 503 without Retry-After is not retried", wantPosts: 1,
			before: func(n int32, w http.ResponseWriter, r *http.Request, next http.Handler) bool {
				w.WriteHeader(http.StatusServiceUnavailable)
				return true
			},
			wantStderr: `503 Service Unavailable: ""`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHerald(t)
			h.before = tc.before
			var stdout lockedBuffer
			args := append([]string{"--flush-after", "1m"}, tc.args...)
			code, stderr := publishFrom(t, context.Background(), h, strings.NewReader(strings.Join(notifications(3), "\n")), &stdout, args...)
			want := strings.ReplaceAll(tc.wantStderr, "%URL%", h.url)
			if code != 1 || !strings.Contains(stderr, want) || stdout.String() != "" || h.posts.Load() != tc.wantPosts {
				t.Errorf("exit %d, stdout %q, %d POSTs, stderr:\n%s\nwant 1, nothing, %d POSTs and %q", code, stdout.String(), h.posts.Load(), stderr, tc.wantPosts, want)
			}
		})
	}
}

func TestPublishStdinFinishesTheBatchInFlightWhenInterrupted(t *testing.T) {
	h := newHerald(t)
	arrived, release := make(chan struct{}), make(chan struct{})
	h.before = func(n int32, w http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if n == 1 {
			close(arrived)
			<-release
		}
		return false
	}
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout lockedBuffer
	done := make(chan int, 1)
	go func() {
		code, _ := publishFrom(t, ctx, h, pr, &stdout, "--flush-after", "1ms")
		done <- code
	}()
	if _, err := io.WriteString(pw, notification("m1")+"\n"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-arrived:
	case <-time.After(wait):
		t.Fatal("no POST")
	}
	cancel()
	close(release)
	select {
	case code := <-done:
		if ids := stdout.lines(); code != 0 || len(ids) != 1 {
			t.Fatalf("exit %d, ids %q; want 0 and the id of the batch in flight", code, ids)
		}
	case <-time.After(wait):
		t.Fatal("publish did not stop when interrupted")
	}
	checkStored(t, h, stdout.lines()[0], nil)
}
