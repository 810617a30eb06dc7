package e2e

import (
	"fmt"
	"math"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestScreenshot writes a screenshot of the demo, with a minute of metrics,
// a signed-in user, a job running and a log, to the PNG file that
// HERALD_SCREENSHOT names; without it the test is skipped. The README shows
// docs/screenshot.png:
//
//	HERALD_SCREENSHOT=$PWD/docs/screenshot.png go test ./e2e -run TestScreenshot
func TestScreenshot(t *testing.T) {
	out := os.Getenv("HERALD_SCREENSHOT")
	if out == "" {
		t.Skip("HERALD_SCREENSHOT names no file to write")
	}
	in := startHerald(t, "-demo=false")
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 860)); err != nil {
		t.Fatal(err)
	}
	openApp(t, ctx, in.URL+"/")
	signIn(t, ctx, "alice")

	var samples []string
	for i := range 60 {
		x := float64(i)
		samples = append(samples,
			metric("load", math.Round(50+30*math.Sin(x/6)+8*math.Sin(x*1.7))),
			metricUnit("heap", math.Round(400+120*math.Sin(x/9)+2*x)/100, "MiB"),
			metricUnit("latency", math.Round(12+6*math.Cos(x/4)+float64(i%5)), "ms"))
	}
	in.publish(t, batch(samples...))
	levels := []string{"info", "info", "debug", "info", "warn", "info", "error"}
	var lines []string
	for i := range 24 {
		lines = append(lines, logLine(levels[i%len(levels)], fmt.Sprintf("GET /orders/%d 200 %d ms", 4100+i, 3+i%9)))
	}
	in.publish(t, batch(lines...))
	in.publish(t, batch(
		notification("bob", "Deploy of v1.4.2 finished", "info"),
		notification("carol", "Disk on db-2 is 91% full", "warn"),
	))
	typeInto(t, ctx, "#message", "Looking into db-2 now")
	click(t, ctx, "#send")
	click(t, ctx, "#start-job")
	waitJS(t, ctx, `(b => b && b.value >= 9)(document.querySelector(".job progress"))`, 20*time.Second)

	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes)", out, len(png))
}
