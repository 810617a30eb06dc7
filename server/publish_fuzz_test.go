package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	demo "github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/engine"
	"github.com/heraldhq/herald/server/security"
)

// FuzzPublish posts arbitrary bodies to POST /publish. Whatever the body,
// the server must not panic, must answer JSON, and either refuses it and
// publishes nothing, or accepts it and sends each event, on a stream of its
// topics, as exactly one well-formed frame whose data is the canonical form
// of the data sent.
func FuzzPublish(f *testing.F) {
	for _, seed := range []string{
		notification("public", "hello"),
		notification("public", "x\r\n\r\ndata: fake\n\nid: 1"),
		"[" + notification("a", "1") + "," + notification("b", "2") + "]",
		`{"topic":"public","type":"progress","data":{"job":"j","done":1,"total":2,"state":"running"}}`,
		`{"topic":"public\r\n","type":"notification","data":{}}`,
		`{"topic":"public","type":"notification\n\ndata: x","data":{}}`,
		`[]`, `{`, `null`, `[null]`, `{"topic":"public","type":"log","data":{"text":"\u2028\u0000"}}`,
	} {
		f.Add([]byte(seed))
	}
	srv, err := server.New(server.Config{
		Schema: demo.Schema, PublishToken: token, Authorizer: readAll{},
		MaxTopics: 1024, MaxConnsPerClient: 1 << 20,
	})
	if err != nil {
		f.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	f.Cleanup(func() { srv.Drain(); ts.Close() })

	f.Fuzz(func(t *testing.T, body []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		want, readable := expectedEvents(body)
		var frames *bufio.Reader
		if readable {
			frames = openFrames(t, ctx, ts, want)
		}
		before := srv.Stats().Published

		req, _ := http.NewRequestWithContext(ctx, "POST", ts.URL+"/publish", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || !json.Valid(answer) {
			t.Fatalf("answer %d is not JSON: %q", resp.StatusCode, answer)
		}
		published := srv.Stats().Published - before
		if resp.StatusCode != http.StatusOK {
			if published != 0 {
				t.Fatalf("refused with %d %s, but published %d events", resp.StatusCode, answer, published)
			}
			return
		}
		var out struct {
			ID  string
			IDs []string
		}
		if err := json.Unmarshal(answer, &out); err != nil {
			t.Fatal(err)
		}
		ids := out.IDs
		if out.ID != "" {
			ids = []string{out.ID}
		}
		if !readable || len(ids) != len(want) || published != uint64(len(ids)) {
			t.Fatalf("accepted %q: ids %q, %d published, %d expected events (readable %v)", body, ids, published, len(want), readable)
		}
		for i, w := range want {
			w.id = ids[i]
			if got := readEventFrame(t, frames); got != w.frame() {
				t.Fatalf("event %d: frame\n%q\nwant\n%q", i, got, w.frame())
			}
		}
	})
}

// readAll lets anyone read every topic, so the fuzzer's events can be
// watched on whatever topic they go to; only the token publishes.
type readAll struct{}

func (readAll) CanRead(security.User, string) bool            { return true }
func (readAll) CanPublish(security.User, string, string) bool { return false }

// wantEvent is an event the fuzzed body asks for, once it is accepted.
type wantEvent struct {
	id, topic, typ, data string
}

// frame is the event as the encoder must write it.
func (w wantEvent) frame() string {
	var b strings.Builder
	b.WriteString("id: " + w.id + "\nevent: " + w.typ + "\n")
	for _, line := range lineBreak.Split(w.data, -1) {
		b.WriteString("data: " + line + "\n")
	}
	return b.String()
}

var lineBreak = regexp.MustCompile("\r\n|\r|\n")

// expectedEvents decodes body as the server would and returns the events it
// asks for, in their canonical form. readable is false when the body cannot
// be accepted as it stands, so no stream needs to be opened.
func expectedEvents(body []byte) (want []wantEvent, readable bool) {
	var reqs []server.PublishRequest
	t := bytes.TrimLeft(body, " \t\r\n")
	var err error
	if len(t) > 0 && t[0] == '[' {
		err = json.Unmarshal(body, &reqs)
	} else {
		reqs = make([]server.PublishRequest, 1)
		err = json.Unmarshal(body, &reqs[0])
	}
	if err != nil || len(reqs) == 0 {
		return nil, false
	}
	for _, r := range reqs {
		typ, ok := demo.Schema.Lookup(r.Type)
		if !ok || engine.ValidateTopic(r.Topic) != nil {
			return nil, false
		}
		data, err := typ.Canonical(r.Data)
		if err != nil {
			return nil, false
		}
		want = append(want, wantEvent{topic: r.Topic, typ: r.Type, data: string(data)})
	}
	return want, true
}

// openFrames opens a stream of the topics of want and returns its reader,
// past the first frame: the retry and the stream's position.
func openFrames(t *testing.T, ctx context.Context, ts *httptest.Server, want []wantEvent) *bufio.Reader {
	q := url.Values{}
	seen := map[string]bool{}
	for _, w := range want {
		if !seen[w.topic] {
			seen[w.topic] = true
			q.Add("topic", w.topic)
		}
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/events?"+q.Encode(), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /events?%s: %d", q.Encode(), resp.StatusCode)
	}
	frames := bufio.NewReader(resp.Body)
	if got := readWireFrame(t, frames); !firstFrame.MatchString(got) {
		t.Fatalf("stream starts with %q, want the retry and the herald.position event", got)
	}
	return frames
}

// readEventFrame returns the next frame that carries data, skipping those that
// only set the reconnection time or the stream's position.
func readEventFrame(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	for {
		f := readWireFrame(t, r)
		if strings.HasPrefix(f, "data: ") || strings.Contains(f, "\ndata: ") {
			return f
		}
	}
}

// readWireFrame returns the next frame's lines, each ended by LF, without the
// blank line after them. Every line must be a field the encoder writes, and
// no CR may appear: a CR would end a line in the browser's parser.
func readWireFrame(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	var b strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatal("no frame in time")
			}
			t.Fatalf("reading a frame: %v (after %q)", err, b.String())
		}
		if line == "\n" {
			if b.Len() == 0 {
				continue
			}
			return b.String()
		}
		if strings.ContainsRune(line, '\r') || !wellFormedLine.MatchString(line) {
			t.Fatalf("malformed line %q", line)
		}
		if line[0] != ':' { // a heartbeat comment is no part of an event
			b.WriteString(line)
		}
	}
}

// wellFormedLine matches the lines the server writes. "data:" alone is the
// empty data line of the herald.position event.
var wellFormedLine = regexp.MustCompile(`^(retry: [0-9]+|id: [0-9]+|event: [^\r\n\x00]+|data: [^\r\n]*|data:|:[^\r\n]*)\n$`)

// firstFrame matches the first frame of a stream that missed nothing.
var firstFrame = regexp.MustCompile(`^retry: [0-9]+\nevent: herald\.position\ndata:\nid: [0-9]+\n$`)
