//go:build !(js && wasm)

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/shared"
	"github.com/heraldhq/herald/shared/sse"
)

// wait bounds every run of a command in these tests.
const wait = 15 * time.Second

// vectorsPath holds the wire-format vectors of shared/sse.
var vectorsPath = filepath.Join("..", "..", "shared", "sse", "testdata", "event-stream-vectors.json")

type vector struct {
	Name           string     `json:"name"`
	Input          string     `json:"input"`
	Chunks         []string   `json:"chunks"`
	ExpectedEvents []rawEvent `json:"expected_events"`
	// ExpectedLastEventID, when set, is the id the reconnect must send.
	ExpectedLastEventID *string `json:"expected_last_event_id"`
}

// UnmarshalJSON reads an expected event's "type" as rawEvent's Event.
func (v *vector) UnmarshalJSON(b []byte) error {
	type plain vector
	var aux struct {
		plain
		ExpectedEvents []struct{ Type, Data, ID string } `json:"expected_events"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*v = vector(aux.plain)
	v.ExpectedEvents = nil
	for _, e := range aux.ExpectedEvents {
		v.ExpectedEvents = append(v.ExpectedEvents, rawEvent{ID: e.ID, Event: e.Type, Data: e.Data})
	}
	return nil
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	b, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatalf("read the wire-format vectors: %v", err)
	}
	var vs []vector
	if err := json.Unmarshal(b, &vs); err != nil || len(vs) == 0 {
		t.Fatalf("read %s: %d vectors, %v", vectorsPath, len(vs), err)
	}
	return vs
}

// run runs a command with a bounded context and returns its exit code and
// outputs.
func run(t *testing.T, cmd func(context.Context, []string, *bytes.Buffer, *bytes.Buffer) int, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := cmd(ctx, args, &stdout, &stderr)
	if ctx.Err() != nil {
		t.Fatalf("%v did not end in %v; stderr:\n%s", args, wait, stderr.String())
	}
	return code, stdout.String(), stderr.String()
}

func tail(ctx context.Context, args []string, stdout, stderr *bytes.Buffer) int {
	return Tail(ctx, args, stdout, stderr)
}

// onceThenNoContent serves body, in its chunks if given, to the first
// request and 204 No Content to the next, whose Last-Event-ID it sends to ids.
func onceThenNoContent(t *testing.T, chunks []string, ids chan<- string) *httptest.Server {
	var served atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if served.Swap(true) {
			ids <- r.Header.Get("Last-Event-ID")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for _, c := range chunks {
			fmt.Fprint(w, c)
			w.(http.Flusher).Flush()
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestTailRawPrintsEachVectorsEvents(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			chunks := v.Chunks
			if chunks == nil {
				chunks = []string{v.Input}
			}
			ids := make(chan string, 1)
			srv := onceThenNoContent(t, chunks, ids)
			code, stdout, stderr := run(t, tail, srv.URL+"/events", "--raw", "--retry", "1ms")
			if code != 0 || !strings.Contains(stderr, "204 No Content") {
				t.Errorf("exit %d, stderr:\n%s\nwant 0 and the 204 told", code, stderr)
			}
			var got []rawEvent
			for _, line := range strings.SplitAfter(stdout, "\n") {
				if line == "" {
					continue
				}
				var e rawEvent
				dec := json.NewDecoder(strings.NewReader(line))
				dec.DisallowUnknownFields()
				if err := dec.Decode(&e); err != nil || !strings.HasSuffix(line, "}\n") {
					t.Fatalf("line %q is not one JSON object: %v", line, err)
				}
				got = append(got, e)
			}
			if !slices.Equal(got, v.ExpectedEvents) {
				t.Errorf("events:\n got %q\nwant %q", got, v.ExpectedEvents)
			}
			wantID := ""
			if n := len(v.ExpectedEvents); n > 0 {
				wantID = v.ExpectedEvents[n-1].ID
			}
			if v.ExpectedLastEventID != nil {
				wantID = *v.ExpectedLastEventID
			}
			if id := <-ids; id != wantID {
				t.Errorf("the reconnect sent Last-Event-ID %q, want %q", id, wantID)
			}
		})
	}
}

// TestTailPrettyPrintsTheDemoTypes also checks that the position event, which
// only carries the stream's id, is not printed.
func TestTailPrettyPrintsTheDemoTypes(t *testing.T) {
	stream := strings.Join([]string{
		"retry: 1\nevent: " + shared.PositionEvent + "\ndata:\nid: 0\n",
		"id: 1\nevent: notification\ndata: {\"user\":\"ana\",\"message\":\"hello\",\"level\":\"info\"}\n",
		"id: 2\nevent: notification\ndata: {\"user\":\"bo\",\"message\":\"disk full\",\"level\":\"error\"}\n",
		"id: 3\nevent: metric\ndata: {\"name\":\"cpu\",\"value\":0.5,\"unit\":\"%\",\"at\":\"2025-01-02T03:04:05Z\"}\n",
		"id: 4\nevent: progress\ndata: {\"job\":\"build\",\"done\":3,\"total\":10,\"state\":\"running\"}\n",
		"id: 5\nevent: log\ndata: {\"at\":\"2025-01-02T03:04:05Z\",\"level\":\"warn\",\"text\":\"slow\"}\n",
		"id: 6\nevent: notification\ndata: {\"user\":1}\n",
		"data: line one\ndata: line two\n",
		"event: herald.gap\ndata: {\"lastEventId\":\"9\",\"oldestId\":\"12\"}\n",
		"event: other\ndata: as it is\n",
	}, "\n") + "\n"
	srv := onceThenNoContent(t, []string{stream}, make(chan string, 1))
	code, stdout, stderr := run(t, tail, srv.URL, "--retry", "1ms")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	want := strings.Join([]string{
		"#1 notification: ana: hello",
		"#2 notification: bo: disk full [error]",
		"#3 metric: cpu = 0.5 % at 2025-01-02T03:04:05Z",
		"#4 progress: build 3/10 running",
		"#5 log: 2025-01-02T03:04:05Z WARN slow",
		`#6 notification: {"user":1} (decode notification: json: cannot unmarshal number into Go struct field Notification.user of type string)`,
		"#6 message: line one\n  line two",
		"#6 herald.gap: events after 9 may be missing: the server no longer has them (the oldest it holds is 12)",
		"#6 other: as it is",
	}, "\n") + "\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
}

func TestEveryDemoTypeHasAFormatter(t *testing.T) {
	for _, typ := range events.Schema.Types() {
		if _, ok := formatters[typ.Name()]; !ok {
			t.Errorf("event type %q of the demo schema has no formatter", typ.Name())
		}
	}
}

func TestTailExits(t *testing.T) {
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		args       []string // after the server's URL, which "{url}" stands for
		wantCode   int
		wantStderr string
	}{
		{name: "204 at once ends tail with success", handler: status(204, "", ""), wantCode: 0, wantStderr: "answered 204 No Content: the stream is over"},
		{name: "a refusal ends tail with the server's message", handler: status(403, "application/json", `{"error":"topic \"private\" is not yours"}`), wantCode: 1, wantStderr: `status 403 Forbidden, not 200 OK: topic "private" is not yours`},
		{name: "a response that is not a stream ends tail with failure", handler: status(200, "text/html", "<html>"), wantCode: 1, wantStderr: `Content-Type "text/html", not text/event-stream`},
		{name: "no URL is a usage error", args: []string{}, wantCode: 2, wantStderr: "want one URL, got 0 arguments"},
		{name: "two URLs are a usage error", args: []string{"{url}", "{url}"}, wantCode: 2, wantStderr: "want one URL, got 2 arguments"},
		{name: "a URL of another scheme is a usage error", args: []string{"ftp://example.com"}, wantCode: 2, wantStderr: `URL "ftp://example.com" is not an http or https URL`},
		{name: "a malformed header is a usage error", args: []string{"{url}", "--header", "nocolon"}, wantCode: 2, wantStderr: `--header "nocolon" is not "Name: value"`},
		{name: "an unknown flag is a usage error", args: []string{"{url}", "--nope"}, wantCode: 2, wantStderr: "flag provided but not defined: -nope"},
		{name: "help is no error", args: []string{"-h"}, wantCode: 0, wantStderr: "Usage: herald tail URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url := "http://127.0.0.1:1"
			if tc.handler != nil {
				srv := httptest.NewServer(tc.handler)
				defer srv.Close()
				url = srv.URL
			}
			args := []string{"{url}"}
			if tc.args != nil {
				args = tc.args
			}
			for i := range args {
				args[i] = strings.ReplaceAll(args[i], "{url}", url)
			}
			code, _, stderr := run(t, tail, args...)
			if code != tc.wantCode || !strings.Contains(stderr, tc.wantStderr) {
				t.Errorf("exit %d, stderr:\n%s\nwant %d and %q", code, stderr, tc.wantCode, tc.wantStderr)
			}
		})
	}
}

// status returns a handler that answers with code, a Content-Type and body.
func status(code int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(code)
		fmt.Fprint(w, body)
	}
}

func TestTailReconnectsWhereItLeftOff(t *testing.T) {
	reqs := make(chan *http.Request, 10)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqs <- r.Clone(context.Background())
		switch n.Add(1) {
		case 1:
			w.Header().Set("Content-Type", "text/event-stream")
			fmt.Fprint(w, "retry: 1\nevent: "+shared.PositionEvent+"\ndata:\nid: 4\n\nid: 5\ndata: five\n\nid: 6\ndata: cut")
			w.(http.Flusher).Flush()
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		case 2:
			w.Header().Set("Content-Type", "text/event-stream")
			fmt.Fprint(w, "id: 6\ndata: six\n\n")
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	defer srv.Close()
	code, stdout, stderr := run(t, tail, srv.URL+"/base/", "--topic", "a", "--topic", "b", "--last-event-id", "4", "--raw", "--retry", "1ms")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	want := `{"id":"5","event":"message","data":"five"}` + "\n" + `{"id":"6","event":"message","data":"six"}` + "\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	for i, wantID := range []string{"4", "5", "6"} {
		r := <-reqs
		if got := r.Header.Get("Last-Event-ID"); got != wantID {
			t.Errorf("request %d sent Last-Event-ID %q, want %q", i, got, wantID)
		}
		if r.URL.Path != "/base/events" || !slices.Equal(r.URL.Query()["topic"], []string{"a", "b"}) {
			t.Errorf("request %d went to %s, want /base/events?topic=a&topic=b", i, r.URL)
		}
	}
	if !strings.Contains(stderr, "reconnecting") {
		t.Errorf("stderr does not tell of the reconnect:\n%s", stderr)
	}
}

func TestTailStopsWithItsContext(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: one\n\n")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	out := &notifyingBuffer{wrote: make(chan struct{}, 1)}
	done := make(chan int)
	go func() { done <- Tail(ctx, []string{srv.URL, "--raw"}, out, &bytes.Buffer{}) }()
	select {
	case <-out.wrote:
	case <-time.After(wait):
		t.Fatal("no event printed")
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d, want 0", code)
		}
	case <-time.After(wait):
		t.Fatal("tail did not stop with its context")
	}
}

// notifyingBuffer tells of each write.
type notifyingBuffer struct {
	bytes.Buffer
	wrote chan struct{}
}

func (b *notifyingBuffer) Write(p []byte) (int, error) {
	defer func() {
		select {
		case b.wrote <- struct{}{}:
		default:
		}
	}()
	return b.Buffer.Write(p)
}

func TestStreamURL(t *testing.T) {
	tests := []struct {
		name, raw string
		topics    []string
		want      string
	}{
		{"a server gets /events", "http://127.0.0.1:8000", nil, "http://127.0.0.1:8000/events"},
		{"a server with a slash gets /events", "http://127.0.0.1:8000/", []string{"a"}, "http://127.0.0.1:8000/events?topic=a"},
		{"a stream URL is kept", "https://example.com/x/events?topic=a", []string{"b"}, "https://example.com/x/events?topic=a&topic=b"},
		{"a URL with no scheme is http", "localhost:8000", nil, "http://localhost:8000/events"},
		{"topics are escaped", "http://h", []string{"a b&c"}, "http://h/events?topic=a+b%26c"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := streamURL(tc.raw, tc.topics); err != nil || got != tc.want {
				t.Errorf("streamURL(%q, %q) = %q, %v; want %q", tc.raw, tc.topics, got, err, tc.want)
			}
		})
	}
}

func TestTailPrettyPrintsAProbeWithItsDelay(t *testing.T) {
	data := fmt.Sprintf(`{"t":%d,"s":7,"pad":"xxxx"}`, time.Now().Add(-time.Second).UnixNano())
	got := string(appendPretty(nil, sse.Event{ID: "9", Type: "probe", Data: data}))
	if !strings.HasPrefix(got, "#9 probe: seq 7, 1.") || !strings.HasSuffix(got, "s after it was published, 4 bytes of padding\n") {
		t.Errorf("got %q, want the sequence, a delay of about a second and the padding", got)
	}
}

func TestTailSkipsAnEventOverTheSizeLimitAndGoesOn(t *testing.T) {
	huge := "id: 2\ndata: " + strings.Repeat("x", sse.DefaultMaxEventSize+1) + "\n\n"
	ids := make(chan string, 1)
	srv := onceThenNoContent(t, []string{"id: 1\ndata: a\n\n", huge, "id: 3\ndata: c\n\n"}, ids)
	code, stdout, stderr := run(t, tail, srv.URL, "--raw", "--retry", "1ms")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	want := `{"id":"1","event":"message","data":"a"}` + "\n" + `{"id":"3","event":"message","data":"c"}` + "\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	if !strings.Contains(stderr, "event dropped") || !strings.Contains(stderr, "going on") {
		t.Errorf("stderr does not tell of the dropped event:\n%s", stderr)
	}
	if id := <-ids; id != "3" {
		t.Errorf("the reconnect sent Last-Event-ID %q, want 3", id)
	}
}
