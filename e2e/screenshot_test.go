package e2e

import (
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/heraldhq/herald/shared"
)

// TestScreenshot writes a screenshot of the demo, with twenty seconds of the
// server's live figures, a signed-in user, a job running and the server's
// log, to the PNG file that HERALD_SCREENSHOT names; without it the test is
// skipped. The README shows docs/screenshot.png:
//
//	HERALD_SCREENSHOT=$PWD/docs/screenshot.png go test ./e2e -run TestScreenshot
func TestScreenshot(t *testing.T) {
	out := os.Getenv("HERALD_SCREENSHOT")
	if out == "" {
		t.Skip("HERALD_SCREENSHOT names no file to write")
	}
	in := startHerald(t)
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 860)); err != nil {
		t.Fatal(err)
	}
	openApp(t, ctx, in.URL+"/")
	signIn(t, ctx, "alice")

	for _, path := range []string{"/events?topic=secret", "/events?topic=" + shared.UserTopic("bob")} {
		resp, err := http.Get(in.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	in.publish(t, batch(
		notification("bob", "Deploy of v1.4.2 finished", "info"),
		notification("carol", "Disk on db-2 is 91% full", "warn"),
	))
	typeInto(t, ctx, "#message", "Looking into db-2 now")
	click(t, ctx, "#send")
	waitJS(t, ctx, `document.querySelectorAll("#metric-streams svg polyline")[0]?.getAttribute("points").split(" ").length >= 20`, 40*time.Second)
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
