package e2e

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// BenchmarkFirstEvent measures, in Chromium on loopback, the time from the
// start of the navigation to the first event on the screen: the page's
// User Timing mark herald:first-event. A first visit has a fresh profile, so
// the page, the scripts and app.wasm come from the network; a repeat visit
// comes from the service worker's cache. Each reports the median and the
// slowest of its runs:
//
//	go test ./e2e -run '^$' -bench FirstEvent -benchtime 7x
//
// A metric is published every 20 ms, so that the wait for the next event
// adds at most that.
func BenchmarkFirstEvent(b *testing.B) {
	in := startHerald(b, "-demo=false")
	publishEvery(b, in, 20*time.Millisecond)

	b.Run("first visit", func(b *testing.B) {
		var ms []float64
		for b.Loop() {
			ctx := newBrowser(b)
			ms = append(ms, firstEvent(b, ctx, in.URL))
			chromedp.Cancel(ctx)
		}
		report(b, ms)
	})
	b.Run("repeat visit", func(b *testing.B) {
		ctx := newBrowser(b)
		firstEvent(b, ctx, in.URL)
		waitJS(b, ctx, `navigator.serviceWorker.getRegistration().then(r => !!(r && r.active && r.active.state === "activated"))`, 30*time.Second)
		var ms []float64
		for b.Loop() {
			ms = append(ms, firstEvent(b, ctx, in.URL))
		}
		report(b, ms)
	})
}

// firstEvent loads the app from a blank page and returns the milliseconds
// from the start of the navigation to the first event on the screen.
func firstEvent(b *testing.B, ctx context.Context, url string) float64 {
	b.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(url+"/")); err != nil {
		b.Fatal(err)
	}
	const mark = `performance.getEntriesByName("herald:first-event")`
	waitJS(b, ctx, mark+`.length > 0`, 30*time.Second)
	return evalJS[float64](b, ctx, mark+`[0].startTime`)
}

// report reports the median and the slowest of ms.
func report(b *testing.B, ms []float64) {
	slices.Sort(ms)
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(ms[len(ms)/2], "ms-median")
	b.ReportMetric(ms[len(ms)-1], "ms-max")
	b.Logf("navigation to first event, ms: %.0f", ms)
}

// publishEvery publishes a metric every d until the benchmark ends.
func publishEvery(b *testing.B, in *instance, d time.Duration) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	b.Cleanup(func() {
		cancel()
		<-done
	})
	go func() {
		defer close(done)
		tick := time.NewTicker(d)
		defer tick.Stop()
		for v := 0.0; ; v++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			req, _ := http.NewRequestWithContext(ctx, "POST", in.URL+"/publish", strings.NewReader(metric("load", v)))
			req.Header.Set("Authorization", "Bearer "+in.Token)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}
	}()
}
