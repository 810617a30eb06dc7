//go:build !(js && wasm)

package eventsource

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/shared/sse"
)

func TestSourceDeliversTypedEvents(t *testing.T) {
	srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
		startStream(w, "retry: 10\n\n"+frames(1, 2)+": heartbeat\n\n")
		hold(r)
	})
	got := make(chan events.Notification, 10)
	src, j := watchWith(t, srv.URL, func(src *Source) {
		On(src, events.Notify, func(n events.Notification) { got <- n })
	})

	j.expect(t, "open", "event 1 notification", "event 2 notification")
	for _, want := range []string{"m1", "m2"} {
		if n := <-got; n.Message != want || n.User != "u" {
			t.Errorf("notification %+v, want message %q from u", n, want)
		}
	}
	req := srv.nextRequest(t)
	for k, want := range map[string]string{"Accept": "text/event-stream", "Cache-Control": "no-cache"} {
		if v := req.Header.Get(k); v != want {
			t.Errorf("%s: %q, want %q", k, v, want)
		}
	}
	if v, ok := req.Header["Last-Event-Id"]; ok {
		t.Errorf("the first request sent Last-Event-ID %q", v)
	}
	if s, id := src.ReadyState(), src.LastEventID(); s != StateOpen || id != "2" {
		t.Errorf("state %v, last event ID %q; want open and 2", s, id)
	}
	src.Close()
	waitDone(t, src)
	if s, err := src.ReadyState(), src.Err(); s != StateClosed || err != nil {
		t.Errorf("after Close: state %v, Err %v; want closed and nil", s, err)
	}
}

// TestSourceResumesAfterTheServerKillsTheConnection cuts two connections in
// the middle of an event and checks that each reconnect asks for what came
// after the last whole event, and that every event arrives once, in order.
func TestSourceResumesAfterTheServerKillsTheConnection(t *testing.T) {
	srv := newScripted(t,
		func(w http.ResponseWriter, r *http.Request) {
			startStream(w, "retry: 10\n\n"+frames(1, 3)+"id: 4\ndata: {\"user\":")
			kill(t, w)
		},
		func(w http.ResponseWriter, r *http.Request) {
			startStream(w, frames(4, 6)+"id: 7\n")
			kill(t, w)
		},
		func(w http.ResponseWriter, r *http.Request) {
			startStream(w, frames(7, 9))
			hold(r)
		},
	)
	src, j := watch(t, srv.URL)
	j.expect(t, "open", "event 1 ", "event 2 ", "event 3 ", "error: eventsource: connection error",
		"open", "event 4 ", "event 5 ", "event 6 ", "error: eventsource: connection error",
		"open", "event 7 ", "event 8 ", "event 9 ")
	for i, want := range []string{"", "3", "6"} {
		req := srv.nextRequest(t)
		if got := req.Header.Get("Last-Event-ID"); got != want {
			t.Errorf("request %d: Last-Event-ID %q, want %q", i, got, want)
		}
	}
	if id := src.LastEventID(); id != "9" {
		t.Errorf("last event ID %q, want 9", id)
	}
}

func TestSourceReconnectsWhenTheStreamEnds(t *testing.T) {
	srv := newScripted(t,
		func(w http.ResponseWriter, r *http.Request) {
			startStream(w, "retry: 10\nid: 7\n\nid: 8\n") // the second id is never committed
		},
		func(w http.ResponseWriter, r *http.Request) {
			startStream(w, "data: after\n\n")
			hold(r)
		},
	)
	src, j := watch(t, srv.URL)
	j.expect(t, "open", "error: eventsource: connection error: GET "+srv.URL+": the server ended the stream", "open", "event 7 message after")
	srv.nextRequest(t)
	if got := srv.nextRequest(t).Header.Get("Last-Event-ID"); got != "7" {
		t.Errorf("the reconnect sent Last-Event-ID %q, want the 7 of the id-only block", got)
	}
	if s := src.ReadyState(); s != StateOpen {
		t.Errorf("state %v, want open", s)
	}
}

func TestSourceSendsNoLastEventIDOnceAnEmptyIDResetsIt(t *testing.T) {
	srv := newScripted(t,
		func(w http.ResponseWriter, r *http.Request) {
			startStream(w, "retry: 10\nid: 1\ndata: a\n\nid\ndata: b\n\n")
		},
		func(w http.ResponseWriter, r *http.Request) {
			startStream(w, "")
			hold(r)
		},
	)
	src, j := watch(t, srv.URL)
	j.expect(t, "open", "event 1 message a", "event  message b", "error", "open")
	srv.nextRequest(t)
	if v, ok := srv.nextRequest(t).Header["Last-Event-Id"]; ok {
		t.Errorf("the reconnect sent Last-Event-ID %q after an empty id", v)
	}
	if id := src.LastEventID(); id != "" {
		t.Errorf("last event ID %q, want it reset", id)
	}
}

func TestSourceStopsOnAResponseThatIsNotAStream(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		wantStatus  int
		wantMessage string
		wantText    string
	}{
		{name: "204 No Content stops the source", status: 204, wantStatus: 204, wantText: "status 204 No Content, not 200 OK"},
		{name: "a server error stops the source with its JSON message", status: 503, contentType: "application/json", body: `{"error":"server is shutting down"}`, wantStatus: 503, wantMessage: "server is shutting down", wantText: "status 503 Service Unavailable, not 200 OK: server is shutting down"},
		{name: "a client error stops the source with its text", status: 400, contentType: "text/plain", body: "no topic:\n add ?topic=NAME\n", wantStatus: 400, wantMessage: "no topic: add ?topic=NAME"},
		{name: "a 200 of another type stops the source", status: 200, contentType: "text/html", body: "<p>hi</p>", wantStatus: 200, wantMessage: "<p>hi</p>", wantText: `Content-Type "text/html", not text/event-stream`},
		{name: "a 200 with no type stops the source", status: 200, body: "data: x\n\n", wantStatus: 200, wantMessage: "data: x", wantText: `Content-Type "text/plain; charset=utf-8"`},
		{name: "a 200 with a malformed type stops the source", status: 200, contentType: "text/event-stream;;", wantStatus: 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
				if tc.contentType != "" {
					w.Header().Set("Content-Type", tc.contentType)
				}
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			})
			src, j := watch(t, srv.URL, WithRetry(time.Millisecond))
			msg := j.next(t)
			waitDone(t, src)
			var re *ResponseError
			if !errors.As(src.Err(), &re) || re.StatusCode != tc.wantStatus || re.Message != tc.wantMessage {
				t.Fatalf("Err %#v, want a ResponseError with status %d and message %q", src.Err(), tc.wantStatus, tc.wantMessage)
			}
			if msg != "error: "+re.Error() || !strings.Contains(msg, tc.wantText) {
				t.Errorf("OnError got %q, want the ResponseError, saying %q", msg, tc.wantText)
			}
			if s, n := src.ReadyState(), srv.count(); s != StateClosed || n != 1 {
				t.Errorf("state %v after %d requests, want closed after 1", s, n)
			}
		})
	}
}

func TestSourceAcceptsParametersOfTheContentType(t *testing.T) {
	srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "Text/Event-Stream; charset=utf-8")
		send(w, "data: ok\n\n")
		hold(r)
	})
	_, j := watch(t, srv.URL)
	j.expect(t, "open", "event  message ok")
}

func TestSourceReconnectsAfterTheReadTimeout(t *testing.T) {
	srv := newScripted(t,
		func(w http.ResponseWriter, r *http.Request) {
			startStream(w, "retry: 10\nid: 1\ndata: a\n\n")
			hold(r) // silent from now on
		},
		func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(300 * time.Millisecond) // no headers in time either
			startStream(w, "")
			hold(r)
		},
		func(w http.ResponseWriter, r *http.Request) {
			startStream(w, "data: b\n\n")
			hold(r)
		},
	)
	_, j := watch(t, srv.URL, WithReadTimeout(100*time.Millisecond))
	j.expect(t, "open", "event 1 message a", "error: eventsource: connection error: GET "+srv.URL+": no data for 100ms",
		"error: eventsource: connection error: GET "+srv.URL+": no data for 100ms", "open", "event 1 message b")
}

func TestSourceRedirects(t *testing.T) {
	tests := []struct {
		name     string
		hops     func(a, b string) []string // the URLs the redirects go through, the stream's last
		wantKept bool
	}{
		{name: "a redirect within the origin keeps headers and credentials", hops: func(a, b string) []string { return []string{a + "/start", a + "/stream"} }, wantKept: true},
		{name: "a redirect to another origin drops them", hops: func(a, b string) []string { return []string{a + "/start", b + "/stream"} }},
		{name: "a redirect that leaves the origin and comes back drops them", hops: func(a, b string) []string { return []string{a + "/start", b + "/bounce", a + "/stream"} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var hops []string
			streamed := make(chan *http.Request, 1)
			serve := func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/start":
					http.Redirect(w, r, hops[1], http.StatusFound)
				case "/bounce":
					http.Redirect(w, r, hops[2], http.StatusTemporaryRedirect)
				default:
					streamed <- r.Clone(context.Background())
					startStream(w, "data: here\n\n")
					hold(r)
				}
			}
			a, b := newScripted(t, serve), newScripted(t, serve)
			hops = tc.hops(a.URL, b.URL)
			_, j := watch(t, hops[0], WithHeader("X-Team", "herald"), WithHeader("Authorization", "Bearer secret"), WithHeader("Cookie", "s=1"))
			j.expect(t, "open", "event  message here")
			req := <-streamed
			for _, k := range []string{"X-Team", "Authorization", "Cookie"} {
				if kept := req.Header.Get(k) != ""; kept != tc.wantKept {
					t.Errorf("%s kept: %v, want %v", k, kept, tc.wantKept)
				}
			}
			if req.Header.Get("Accept") != "text/event-stream" {
				t.Errorf("Accept %q after the redirects", req.Header.Get("Accept"))
			}
		})
	}
}

func TestSourceStartsFromWithLastEventID(t *testing.T) {
	srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
		startStream(w, "data: resumed\n\n")
		hold(r)
	})
	src, j := watch(t, srv.URL, WithLastEventID("41"))
	if id := src.LastEventID(); id != "41" {
		t.Errorf("last event ID %q before any event, want 41", id)
	}
	j.expect(t, "open", "event 41 message resumed")
	if got := srv.nextRequest(t).Header.Get("Last-Event-ID"); got != "41" {
		t.Errorf("the first request sent Last-Event-ID %q, want 41", got)
	}
}

func TestSourceCookies(t *testing.T) {
	jar, _ := cookiejar.New(nil)
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{name: "without credentials no cookie is kept", want: ""},
		{name: "with credentials the source keeps cookies", opts: []Option{WithCredentials()}, want: "session=abc"},
		{name: "a cookie jar keeps cookies", opts: []Option{WithCookieJar(jar)}, want: "session=abc"},
		{name: "the client's jar keeps cookies", opts: []Option{WithHTTPClient(&http.Client{Jar: jar})}, want: "session=abc"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newScripted(t,
				func(w http.ResponseWriter, r *http.Request) {
					http.SetCookie(w, &http.Cookie{Name: "session", Value: "abc", Path: "/"})
					startStream(w, "retry: 10\n\n")
				},
				func(w http.ResponseWriter, r *http.Request) {
					startStream(w, "")
					hold(r)
				},
			)
			_, j := watch(t, srv.URL, tc.opts...)
			j.expect(t, "open", "error", "open")
			srv.nextRequest(t)
			if got := srv.nextRequest(t).Header.Get("Cookie"); got != tc.want {
				t.Errorf("the reconnect sent Cookie %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSourceStopsWithItsContext(t *testing.T) {
	srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
		startStream(w, "data: a\n\n")
		hold(r)
	})
	ctx, cancel := context.WithCancel(context.Background())
	src, j := watch(t, srv.URL, WithContext(ctx))
	j.expect(t, "open", "event  message a")
	cancel()
	waitDone(t, src)
	if s, err := src.ReadyState(), src.Err(); s != StateClosed || err != nil {
		t.Errorf("state %v, Err %v; want closed and nil", s, err)
	}
	if len(j.ch) != 0 {
		t.Errorf("a listener was called after the context ended: %q", <-j.ch)
	}
}

// TestDoneWaitsForTheSourceToCloseWhenItsContextEnds ends the context of
// many Sources and checks that each is closed, with no listener called, by
// the time Done is: the context's AfterFunc, which closes the Source too,
// runs concurrently with the Source's own goroutine, so the race shows only
// over many runs.
func TestDoneWaitsForTheSourceToCloseWhenItsContextEnds(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		startStream(w, "")
		hold(r)
	}))
	defer srv.Close()
	deadline := time.Now().Add(5 * time.Second)
	for i := 0; i < 200 && time.Now().Before(deadline); i++ {
		ctx, cancel := context.WithCancel(context.Background())
		src, err := New(srv.URL, WithContext(ctx))
		if err != nil {
			t.Fatal(err)
		}
		opened := make(chan struct{}, 1)
		var lateCalls atomic.Int32
		src.OnOpen(func() { opened <- struct{}{} })
		src.OnError(func(error) {
			select {
			case <-src.Done():
				lateCalls.Add(1)
			default:
			}
		})
		src.Start()
		select {
		case <-opened:
		case <-time.After(wait):
			t.Fatalf("run %d: the Source did not open", i)
		}
		cancel()
		waitDone(t, src)
		if s := src.ReadyState(); s != StateClosed {
			t.Fatalf("run %d: state %v once Done is closed, want closed", i, s)
		}
		if n := lateCalls.Load(); n != 0 {
			t.Fatalf("run %d: %d listener calls after Done", i, n)
		}
	}
}

func TestSourceCanBeClosedByAListener(t *testing.T) {
	srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
		startStream(w, "data: 1\n\ndata: 2\n\ndata: 3\n\n")
		hold(r)
	})
	src, err := New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	src.OnAny(func(sse.Event) {
		calls.Add(1)
		src.Close()
	})
	src.Start()
	waitDone(t, src)
	if n := calls.Load(); n != 1 {
		t.Errorf("the listener ran %d times, want once", n)
	}
}

func TestSourceReportsUndecodableEventsAndGoesOn(t *testing.T) {
	srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
		startStream(w, "event: notification\nid: 1\ndata: {\"user\":1}\n\n"+frames(2, 2))
		hold(r)
	})
	errs, got := make(chan error, 10), make(chan events.Notification, 10)
	watchWith(t, srv.URL, func(src *Source) {
		src.OnError(func(err error) { errs <- err })
		On(src, events.Notify, func(n events.Notification) { got <- n })
	})
	select {
	case err := <-errs:
		var de *DecodeError
		if !errors.As(err, &de) || de.Type != "notification" || de.ID != "1" {
			t.Errorf("error %v, want a DecodeError of notification 1", err)
		}
	case <-time.After(wait):
		t.Fatal("no error")
	}
	select {
	case n := <-got:
		if n.Message != "m2" {
			t.Errorf("got %+v, want m2", n)
		}
	case <-time.After(wait):
		t.Fatal("the stream did not go on")
	}
}

func TestSourceListenersCanBeRemoved(t *testing.T) {
	release := make(chan struct{})
	srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
		startStream(w, frames(1, 1))
		<-release
		send(w, frames(2, 2))
		hold(r)
	})
	defer close(release)
	var typed, anyCalls atomic.Int32
	var removeTyped, removeAny func()
	_, j := watchWith(t, srv.URL, func(src *Source) {
		removeTyped = On(src, events.Notify, func(events.Notification) { typed.Add(1) })
		removeAny = src.OnAny(func(sse.Event) { anyCalls.Add(1) })
	})
	j.expect(t, "open", "event 1 ")
	removeTyped()
	removeAny()
	removeAny()
	release <- struct{}{}
	j.expect(t, "event 2 ")
	if typed.Load() != 1 || anyCalls.Load() != 1 {
		t.Errorf("removed listeners ran %d and %d times, want once each", typed.Load(), anyCalls.Load())
	}
}

func TestSourceDropsAnEventOverTheLimitAndGoesOn(t *testing.T) {
	srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
		startStream(w, "data: small\n\nid: 2\ndata: "+strings.Repeat("x", 100)+"\n\nid: 3\ndata: after\n\n")
		hold(r)
	})
	var tooLarge atomic.Pointer[EventTooLargeError]
	src, j := watchWith(t, srv.URL, func(src *Source) {
		src.OnError(func(err error) {
			if e := (*EventTooLargeError)(nil); errors.As(err, &e) {
				tooLarge.Store(e)
			}
		})
	}, WithMaxEventSize(50))
	j.expect(t, "open", "event  message small", "error: eventsource: GET "+srv.URL+": event dropped: sse: event over the size limit", "event 3 message after")
	e := tooLarge.Load()
	if e == nil || !errors.Is(e, sse.ErrEventTooLarge) || e.Limit != 50 || e.URL != srv.URL {
		t.Errorf("OnError got %+v, want an *EventTooLargeError for %s with limit 50 that wraps sse.ErrEventTooLarge", e, srv.URL)
	}
	if s, err, n := src.ReadyState(), src.Err(), srv.count(); s != StateOpen || err != nil || n != 1 {
		t.Errorf("state %v, Err %v after %d requests; want open, nil, 1", s, err, n)
	}
}

func TestSourceResumesFromTheLastIDItCanSend(t *testing.T) {
	tests := []struct {
		name   string
		stream string
		want   string // the Last-Event-ID of the reconnect
	}{
		{name: "an id with a control byte is not sent and the one before it is", stream: "id: 1\ndata: a\n\nid: a\x01b\ndata: x\n\n", want: "1"},
		{name: "an id with DEL is not sent and no header replaces it when none came before", stream: "id: a\x7fb\ndata: x\n\n", want: ""},
		{name: "a sendable id after an unsendable one is sent", stream: "id: a\x01b\ndata: x\n\nid: 5\ndata: y\n\n", want: "5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newScripted(t,
				func(w http.ResponseWriter, r *http.Request) {
					startStream(w, "retry: 10\n"+tc.stream)
					kill(t, w)
				},
				func(w http.ResponseWriter, r *http.Request) {
					startStream(w, "data: again\n\n")
					hold(r)
				},
			)
			src, _ := watch(t, srv.URL)
			srv.nextRequest(t)
			req := srv.nextRequest(t)
			if got := req.Header.Get("Last-Event-ID"); got != tc.want {
				t.Errorf("the reconnect sent Last-Event-ID %q, want %q", got, tc.want)
			}
			if _, ok := req.Header["Last-Event-Id"]; tc.want == "" && ok {
				t.Error("the reconnect sent an empty Last-Event-ID header")
			}
			if err := src.Err(); err != nil {
				t.Errorf("Err = %v, want nil", err)
			}
		})
	}
}

func TestOpenStartsAtOnce(t *testing.T) {
	srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
		startStream(w, "data: a\n\n")
		hold(r)
	})
	src, err := Open(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	srv.nextRequest(t)
}

func TestCloseBeforeStartStopsTheSource(t *testing.T) {
	src, err := New("http://127.0.0.1:1/events")
	if err != nil {
		t.Fatal(err)
	}
	src.Close()
	src.Start()
	waitDone(t, src)
	if s := src.ReadyState(); s != StateClosed {
		t.Errorf("state %v, want closed", s)
	}
}

func TestNewRefusesURLs(t *testing.T) {
	tests := []struct {
		name string
		url  string
		want string
	}{
		{name: "a relative path is refused outside the browser", url: "/events", want: "a relative URL"},
		{name: "a relative reference is refused outside the browser", url: "events?topic=a", want: "a relative URL"},
		{name: "a scheme-relative URL is refused outside the browser", url: "//example.com/events", want: "a relative URL"},
		{name: "a scheme other than http is refused", url: "ftp://example.com/events", want: "not an http or https URL"},
		{name: "a URL without a host is refused", url: "http://", want: "not an http or https URL"},
		{name: "a URL that does not parse is refused", url: "http://[::1", want: "missing ']'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.url)
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", tc.url)) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New(%q) = %v, want an error naming the URL and saying %q", tc.url, err, tc.want)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		name     string
		base     time.Duration
		failures int
		jitter   float64
		want     time.Duration
	}{
		{"the first reconnect waits the reconnection time", 3 * time.Second, 0, 0, 3 * time.Second},
		{"jitter adds up to a quarter", 3 * time.Second, 0, 0.5, 3375 * time.Millisecond},
		{"the first failure waits the reconnection time", 3 * time.Second, 1, 0, 3 * time.Second},
		{"each failure after the first doubles the delay", 3 * time.Second, 3, 0, 12 * time.Second},
		{"the doubling stops at 30 seconds", 3 * time.Second, 10, 0, 30 * time.Second},
		{"a reconnection time over the cap is kept", time.Minute, 3, 0, time.Minute},
		{"a zero reconnection time reconnects at once", 0, 0, 0.9, 0},
		{"failures wait at least half a second", 0, 1, 0, 500 * time.Millisecond},
		{"failures double from half a second", 0, 3, 0, 2 * time.Second},
		{"the longest reconnection time does not overflow", math.MaxInt64, 2, 0.9, math.MaxInt64},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := backoff(tc.base, tc.failures, tc.jitter); got != tc.want {
				t.Errorf("backoff(%v, %d, %v) = %v, want %v", tc.base, tc.failures, tc.jitter, got, tc.want)
			}
		})
	}
}

func TestSourceBacksOffWhenConnectionsFail(t *testing.T) {
	srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) { kill(t, w) })
	start := time.Now()
	_, j := watch(t, srv.URL, WithRetry(0))
	j.expect(t, "error", "error", "error")
	// With no reconnection time, failures in a row wait at least 0.5s, then
	// 1s: the third error comes after both waits.
	if d := time.Since(start); d < 1500*time.Millisecond {
		t.Errorf("three failed attempts took %v, want at least 1.5s of backoff", d)
	}
}
