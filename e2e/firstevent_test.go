package e2e

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// BenchmarkFirstEvent measures, in Chromium on loopback, Herald's page
// beside a hand-written JavaScript page that opens an EventSource on the same
// server (/web/js-page.html), in one run:
//
//	go test ./e2e -run '^$' -bench FirstEvent -benchtime 9x
//
// Each iteration loads the JavaScript page in a fresh profile, Herald's page
// in another fresh profile (a first visit: everything from the network), and
// Herald's page again in that profile once its service worker is active (a
// repeat visit). It reports the medians, in ms from the start of the
// navigation, of:
//
//   - js-event: the JavaScript page's first event on the screen;
//   - first-state, repeat-state: Herald's prerendered state painted (Element
//     Timing of the element with elementtiming="herald-state"), when the page
//     has one;
//   - first-event, repeat-event: the first live event on Herald's screen (the
//     User Timing mark herald:first-event);
//   - their ratios to js-event (x-first-state, …);
//   - on the first visit, where the time goes: first-html (the page's
//     responseEnd), first-wasm-fetched (app.wasm's responseEnd), first-go-main
//     (herald:go-main: app.wasm compiled, the Go program started) and
//     first-early-event (herald:early-event: the first event the page's early
//     stream received, before the app).
//
// A metric is published every 20 ms, so that the wait for the next event
// adds at most that.
func BenchmarkFirstEvent(b *testing.B) {
	in := startHerald(b, "-demo=false", "-web-dir", webDirWithJSPage(b))
	publishEvery(b, in, 20*time.Millisecond, 100_000, func(i int) string { return metric("load", float64(i)) })
	ms := map[string][]float64{}
	for b.Loop() {
		js := newBrowser(b)
		ms["js-event"] = append(ms["js-event"], jsFirstEvent(b, js, in.URL))
		chromedp.Cancel(js)

		ctx := newBrowser(b)
		observeStatePaint(b, ctx)
		for k, v := range visit(b, ctx, in.URL) {
			ms["first-"+k] = append(ms["first-"+k], v)
		}
		waitJS(b, ctx, `navigator.serviceWorker.getRegistration().then(r => !!(r && r.active && r.active.state === "activated"))`, 30*time.Second)
		for k, v := range visit(b, ctx, in.URL) {
			if k == "event" || k == "state" {
				ms["repeat-"+k] = append(ms["repeat-"+k], v)
			}
		}
		chromedp.Cancel(ctx)
	}
	reportMedians(b, ms)
}

// jsFirstEvent loads the JavaScript page and returns the milliseconds from
// the start of the navigation to its first event on the screen.
func jsFirstEvent(b *testing.B, ctx context.Context, url string) float64 {
	b.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/web/js-page.html")); err != nil {
		b.Fatal(err)
	}
	const mark = `performance.getEntriesByName("js:first-event")`
	waitJS(b, ctx, mark+`.length > 0`, 30*time.Second)
	return evalJS[float64](b, ctx, mark+`[0].startTime`)
}

// observeState records in window.heraldStatePainted when the element with
// elementtiming="herald-state" was painted. It runs in every new document
// before the document's own scripts, so that no paint comes before it.
const observeState = `new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.identifier === "herald-state" && window.heraldStatePainted === undefined) {
      window.heraldStatePainted = e.renderTime || e.loadTime;
    }
  }
}).observe({ type: "element", buffered: true });`

// observeStatePaint runs observeState in every document the tab of ctx
// loads from now on.
func observeStatePaint(b *testing.B, ctx context.Context) {
	b.Helper()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: observeState}); err != nil {
		b.Fatalf("observe the paint of the state: %v", err)
	}
}

// visitMarks are the User Timing marks of a visit, by the name of their
// figure.
var visitMarks = map[string]string{
	"event":       "herald:first-event",
	"go-main":     "herald:go-main",
	"early-event": "herald:early-event",
}

// visit loads Herald's page from a blank page and returns, in ms from the
// start of the navigation: event, when the first event was on the screen;
// state, when the prerendered state was painted, if the page has it; html
// and wasm-fetched, when the page and app.wasm were received; and the
// marks of visitMarks that the page made.
func visit(b *testing.B, ctx context.Context, url string) map[string]float64 {
	b.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(url+"/")); err != nil {
		b.Fatal(err)
	}
	hasState := evalJS[bool](b, ctx, `document.querySelector('[elementtiming="herald-state"]') !== null`)
	waitJS(b, ctx, `performance.getEntriesByName("herald:first-event").length > 0`, 30*time.Second)
	got := map[string]float64{
		"html": evalJS[float64](b, ctx, `performance.getEntriesByType("navigation")[0].responseEnd`),
	}
	if hasState {
		waitJS(b, ctx, `window.heraldStatePainted !== undefined`, 10*time.Second)
		got["state"] = evalJS[float64](b, ctx, `window.heraldStatePainted`)
	}
	if wasm := evalJS[[]float64](b, ctx, `performance.getEntriesByType("resource").filter(e => e.name.endsWith("/web/app.wasm")).map(e => e.responseEnd)`); len(wasm) > 0 {
		got["wasm-fetched"] = wasm[0]
	}
	for k, mark := range visitMarks {
		if t := evalJS[[]float64](b, ctx, fmt.Sprintf(`performance.getEntriesByName(%q).map(e => e.startTime)`, mark)); len(t) > 0 {
			got[k] = t[0]
		}
	}
	return got
}

// ratios are the figures reported as ratios to the JavaScript page's first
// event, with the target of each.
var ratios = []struct{ figure, target string }{
	{"first-state", "2"}, {"first-event", "4"}, {"repeat-state", "2"}, {"repeat-event", "2"},
}

// reportMedians reports the median of each figure, and the ratios of the
// medians to the JavaScript page's.
func reportMedians(b *testing.B, ms map[string][]float64) {
	b.ReportMetric(0, "ns/op")
	med := map[string]float64{}
	for k, v := range ms {
		slices.Sort(v)
		med[k] = v[len(v)/2]
		b.ReportMetric(med[k], "ms-"+k)
		b.Logf("%s, ms: %.0f", k, v)
	}
	js := med["js-event"]
	for _, r := range ratios {
		if v, ok := med[r.figure]; ok && js > 0 {
			b.ReportMetric(v/js, "x-"+r.figure)
			b.Logf("%s is %.1f× the JavaScript page's first event (target: %s×)", r.figure, v/js, r.target)
		} else {
			b.Logf("%s: not measured (the page has no prerendered state)", r.figure)
		}
	}
}
