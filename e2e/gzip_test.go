package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// A page's EventSource on a gzip stream gets each event within a second of
// its publication, and, once the stream ends at its lifetime, resumes with
// Last-Event-ID on a gzip stream again, missing nothing published between.
func TestABrowserOnAGzipStreamGetsEveryEventAcrossAReconnect(t *testing.T) {
	in := startHerald(t, "-demo=false", "-max-lifetime=4s", "-retry=200ms")
	p := newStreamProxy(t, in)
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
