package e2e

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Events published while app.wasm is held back reach the app through the
// page's early stream (web/stream.js): once each and in order, after those
// of the page's state, followed by those published once the app runs, on
// the one stream the page opened: the early one, opened from the id of the
// page's #herald-state element and adopted by the app.
func TestEventsPublishedBeforeTheAppStartsReachItOnceInOrder(t *testing.T) {
	in := startHerald(t, "-demo=false")
	state := numbered("state", 1, 2)
	for _, m := range state {
		in.publish(t, notification("early", m, "info"))
	}
	ctx := newBrowser(t)
	streams := watchStreams(t, ctx)
	release := holdWasm(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(in.URL+"/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `window.heraldEarly !== undefined && heraldEarly.source.readyState === EventSource.OPEN`, 30*time.Second)
	pageID := evalJS[string](t, ctx, `JSON.parse(document.getElementById("herald-state").textContent).id`)
	if id := evalJS[string](t, ctx, `heraldEarly.id`); pageID == "" || id != pageID {
		t.Fatalf("the early stream resumed from %q; want the id of the page's state, %q", id, pageID)
	}
	before := numbered("before", 1, 5)
	for _, m := range before {
		in.publish(t, notification("early", m, "info"))
	}
	waitJS(t, ctx, `heraldEarly.events.length === 5`, 10*time.Second)
	if n := evalJS[int](t, ctx, `performance.getEntriesByName("herald:go-main").length`); n != 0 {
		t.Fatal("the app started while app.wasm was held back: the test proves nothing")
	}
	release()
	waitLive(t, ctx)
	after := numbered("after", 1, 3)
	for _, m := range after {
		in.publish(t, notification("early", m, "info"))
	}
	waitFeed(t, ctx, slices.Concat(state, before, after), 10*time.Second)
	opened := streams()
	if len(opened) != 1 {
		t.Fatalf("the page opened event streams %q; want 1, the early one, adopted by the app", opened)
	}
	if got := lastEventID(t, opened[0]); got != pageID {
		t.Errorf("the page's stream %s resumed from %q; want the id of its state, %q", opened[0], got, pageID)
	}
}

// An early stream nobody takes stops at its bound (web/stream.js: 1,000
// events): it closes, and the app, when it starts, opens its own stream from
// the id of the page's state, so that the events the early stream dropped
// still reach it.
func TestAnEarlyStreamNobodyTakesStopsAtItsBoundAndTheAppLosesNothing(t *testing.T) {
	in := startHerald(t, "-demo=false", "-token-publish-rate", "1e6", "-token-publish-burst", "100000")
	ctx := newBrowser(t)
	streams := watchStreams(t, ctx)
	release := holdWasm(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(in.URL+"/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `window.heraldEarly !== undefined && heraldEarly.source.readyState === EventSource.OPEN`, 30*time.Second)
	pageID := evalJS[string](t, ctx, `JSON.parse(document.getElementById("herald-state").textContent).id`)
	over := numbered("over", 1, 1000)
	bodies := make([]string, len(over))
	for i, m := range over {
		bodies[i] = notification("early", m, "info")
	}
	in.publish(t, "["+strings.Join(bodies, ",")+"]")
	waitJS(t, ctx, `heraldEarly.source.readyState === EventSource.CLOSED && heraldEarly.take() === null`, 10*time.Second)
	release()
	waitLive(t, ctx)
	after := numbered("after", 1, 3)
	for _, m := range after {
		in.publish(t, notification("early", m, "info"))
	}
	waitJS(t, ctx, `JSON.stringify([...document.querySelectorAll("#feed .message")].map(e => e.textContent).reverse().slice(-4)) === `+
		strconv.Quote(`["over1000","after1","after2","after3"]`), 10*time.Second)
	opened := streams()
	if len(opened) != 2 || lastEventID(t, opened[1]) != pageID {
		t.Fatalf("the page opened event streams %q; want the early one, then the app's from the page's id %q", opened, pageID)
	}
}

// A second tab of the app opens no early stream: the first tab holds the
// stream and relays it, so the server serves one stream for both.
func TestASecondTabOpensNoEarlyStream(t *testing.T) {
	in := startHerald(t, "-demo=false")
	browser := newBrowser(t)
	first, _ := newTab(t, browser)
	openApp(t, first, in.URL+"/")
	if !evalJS[bool](t, first, `window.heraldEarly !== undefined`) {
		t.Fatal("the first tab opened no early stream: the test proves nothing")
	}
	second, _ := newTab(t, browser)
	streams := watchStreams(t, second)
	openApp(t, second, in.URL+"/")
	in.publish(t, notification("ann", "n1", "info"))
	waitFeed(t, second, []string{"n1"}, 10*time.Second)
	if evalJS[bool](t, second, `window.heraldEarly !== undefined`) {
		t.Error("the second tab opened an early stream while the first holds the stream")
	}
	if opened := streams(); len(opened) != 0 {
		t.Errorf("the second tab opened event streams %q; want none, the first tab's relayed", opened)
	}
}

// lastEventID returns the lastEventId parameter of the stream URL u.
func lastEventID(t *testing.T, u string) string {
	t.Helper()
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatalf("the stream URL %q: %v", u, err)
	}
	return parsed.Query().Get("lastEventId")
}

// holdWasm holds the page's request for app.wasm until release is called.
func holdWasm(t *testing.T, ctx context.Context) (release func()) {
	t.Helper()
	paused := make(chan fetch.RequestID, 4)
	_ = chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			select {
			case paused <- e.RequestID:
			default:
			}
		}
	})
	pattern := []*fetch.RequestPattern{{URLPattern: "*/web/app.wasm", RequestStage: fetch.RequestStageRequest}}
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: pattern}); err != nil {
		t.Fatalf("intercept app.wasm: %v", err)
	}
	return func() {
		t.Helper()
		select {
		case id := <-paused:
			if _, err := chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: id}); err != nil {
				t.Fatalf("release app.wasm: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the page did not ask for app.wasm within 30s")
		}
	}
}

// watchStreams returns a function that returns the URLs of the EventSource
// requests the tab of ctx has made, in order.
func watchStreams(t *testing.T, ctx context.Context) func() []string {
	t.Helper()
	var mu sync.Mutex
	var urls []string
	_ = chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Type == network.ResourceTypeEventSource {
			mu.Lock()
			urls = append(urls, e.Request.URL)
			mu.Unlock()
		}
	})
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("watch the network: %v", err)
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(urls)
	}
}
