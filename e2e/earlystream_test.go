package e2e

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Events published while app.wasm is held back reach the app through the
// page's early stream (web/stream.js): once each and in order, followed by
// those published once the app runs, on the one stream the page opened. The
// page's #herald-state element is a hand-written fixture (stateFixture).
func TestEventsPublishedBeforeTheAppStartsReachItOnceInOrder(t *testing.T) {
	in := startHerald(t, "-demo=false")
	page := newStateProxy(t, in, stateFixture(t))
	ctx := newBrowser(t)
	streams := countStreams(t, ctx)
	release := holdWasm(t, ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(page+"/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `window.heraldEarly !== undefined && heraldEarly.source.readyState === EventSource.OPEN`, 30*time.Second)
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
	waitFeed(t, ctx, slices.Concat(before, after), 10*time.Second)
	if n := streams(); n != 1 {
		t.Errorf("the page opened %d event streams; want 1, the early one, adopted by the app", n)
	}
}

// A second tab of the app opens no early stream: the first tab holds the
// stream and relays it, so the server serves one stream for both.
func TestASecondTabOpensNoEarlyStream(t *testing.T) {
	in := startHerald(t, "-demo=false")
	page := newStateProxy(t, in, stateFixture(t))
	browser := newBrowser(t)
	first, _ := newTab(t, browser)
	openApp(t, first, page+"/")
	if !evalJS[bool](t, first, `window.heraldEarly !== undefined`) {
		t.Fatal("the first tab opened no early stream: the test proves nothing")
	}
	second, _ := newTab(t, browser)
	streams := countStreams(t, second)
	openApp(t, second, page+"/")
	in.publish(t, notification("ann", "n1", "info"))
	waitFeed(t, second, []string{"n1"}, 10*time.Second)
	if evalJS[bool](t, second, `window.heraldEarly !== undefined`) {
		t.Error("the second tab opened an early stream while the first holds the stream")
	}
	if n := streams(); n != 0 {
		t.Errorf("the second tab opened %d event streams; want none, the first tab's relayed", n)
	}
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

// countStreams returns a function that counts the EventSource requests the
// tab of ctx has made.
func countStreams(t *testing.T, ctx context.Context) func() int {
	t.Helper()
	var mu sync.Mutex
	n := 0
	_ = chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Type == network.ResourceTypeEventSource {
			mu.Lock()
			n++
			mu.Unlock()
		}
	})
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("watch the network: %v", err)
	}
	return func() int {
		mu.Lock()
		defer mu.Unlock()
		return n
	}
}
