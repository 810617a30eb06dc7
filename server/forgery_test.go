package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	demo "github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/shared"
	"github.com/heraldhq/herald/shared/sse"
)

// eventReader reads a stream with the spec parser.
type eventReader struct {
	t   *testing.T
	src *sse.Reader
}

// openEvents opens path on ts and returns a parser of its events, past the
// herald.position event that starts the stream.
func openEvents(t *testing.T, ts *httptest.Server, url string) *eventReader {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	r := &eventReader{t: t, src: sse.NewReader(resp.Body)}
	if ev := r.next(); ev.Type != shared.PositionEvent || ev.ID == "" || ev.Data != "" {
		t.Fatalf("GET %s: first event %+v, want the stream's position as a herald.position event with no data", url, ev)
	}
	return r
}

// next returns the next event, or fails the test after a few seconds.
func (r *eventReader) next() sse.Event {
	r.t.Helper()
	type result struct {
		ev  sse.Event
		err error
	}
	done := make(chan result, 1)
	go func() {
		ev, err := r.src.Next()
		done <- result{ev, err}
	}()
	select {
	case res := <-done:
		if res.err != nil {
			r.t.Fatalf("read event: %v", res.err)
		}
		return res.ev
	case <-time.After(5 * time.Second):
		r.t.Fatal("no event within 5s")
		return sse.Event{}
	}
}

func TestLineBreaksInFieldsArriveAsOneEventWithTheDataIntact(t *testing.T) {
	srv, ts := newTestServer(t, server.Config{})
	events := openEvents(t, ts, ts.URL+"/events?topic=public")
	cases := []struct {
		name string
		n    demo.Notification
	}{
		{"a lone CR in the message", demo.Notification{User: "ann", Message: "a\rb"}},
		{"a lone LF in the message", demo.Notification{User: "ann", Message: "a\nb"}},
		{"a CRLF in the message", demo.Notification{User: "ann", Message: "a\r\nb"}},
		{"a forged frame in the message", demo.Notification{User: "ann", Message: "x\r\n\r\ndata: fake\r\n\r\n"}},
		{"a forged id and type in the user", demo.Notification{User: "ann\n\nid: 999999999999\nevent: notification\ndata: {}\n\n", Message: "m"}},
		{"a forged retry and comment", demo.Notification{User: "ann\rretry: 1\r:\r", Message: "\n\n\n"}},
		{"a NUL and a BOM", demo.Notification{User: "ann\x00", Message: "\ufeffdata: x"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]any{"topic": "public", "type": "notification", "data": c.n})
			status, out := publish(t, ts, string(body))
			if status != 200 {
				t.Fatalf("publish: %d %v", status, out)
			}
			ev := events.next()
			if ev.ID != out["id"] || ev.Type != "notification" {
				t.Errorf("event id %q type %q, want id %v type notification", ev.ID, ev.Type, out["id"])
			}
			var got demo.Notification
			if err := json.Unmarshal([]byte(ev.Data), &got); err != nil || got != c.n {
				t.Errorf("data %q decodes to %+v (%v), want %+v", ev.Data, got, err, c.n)
			}
		})
	}
	// Exactly one event each: the next one is a marker published now.
	id, err := server.Publish(srv, "public", demo.Notify, demo.Notification{User: "marker"})
	if err != nil {
		t.Fatal(err)
	}
	if ev := events.next(); ev.ID != id {
		t.Errorf("after the cases came event %q %q, want only the marker %s", ev.ID, ev.Data, id)
	}
}

func TestLineBreaksInTopicOrTypeAreRefusedAndPublishNothing(t *testing.T) {
	srv, ts := newTestServer(t, server.Config{})
	events := openEvents(t, ts, ts.URL+"/events?topic=public")
	cases := []struct {
		name, topic, typ string
	}{
		{"a CRLF in the topic", "public\r\n\r\ndata: fake", "notification"},
		{"a LF in the topic", "public\n", "notification"},
		{"a CR in the type", "public", "notification\r"},
		{"a forged frame in the type", "public", "notification\r\n\r\ndata: fake"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]any{"topic": c.topic, "type": c.typ, "data": demo.Notification{User: "x"}})
			status, out := publish(t, ts, string(body))
			if msg, _ := out["error"].(string); status != http.StatusBadRequest || msg == "" {
				t.Errorf("publish: %d %v, want 400 with an error", status, out)
			}
		})
	}
	if n := srv.Stats().Published; n != 0 {
		t.Errorf("%d events published, want none", n)
	}
	id, _ := server.Publish(srv, "public", demo.Notify, demo.Notification{User: "marker"})
	if ev := events.next(); ev.ID != id {
		t.Errorf("first event %q %q, want only the marker %s", ev.ID, ev.Data, id)
	}
}
