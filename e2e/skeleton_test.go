package e2e

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/heraldhq/herald/app/events"
)

// The page must show a published notification as literal text, never as
// markup, and the server's live figures must arrive and keep coming.
func TestPublishedNotificationIsShownAsTextAndMetricsMove(t *testing.T) {
	in := startHerald(t)
	ctx := newBrowser(t)

	start := time.Now()
	if _, err := chromedp.Run(ctx, chromedp.Navigate(in.URL+"/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelector("#metric-streams .value")`, 30*time.Second)
	t.Logf("navigation to first event shown: %v", time.Since(start).Round(time.Millisecond))
	waitJS(t, ctx, `document.querySelector("#status").textContent.startsWith("live")`, 5*time.Second)

	const xss = `<img src=x onerror="window.__xss=1">`
	body, _ := json.Marshal(map[string]any{
		"topic": events.PublicTopic, "type": "notification",
		"data": map[string]string{"user": "mallory", "message": xss, "level": "warn"},
	})
	in.publish(t, string(body))
	waitJS(t, ctx, `[...document.querySelectorAll("#feed .message")].some(e => e.textContent === `+strconv.Quote(xss)+`)`, 10*time.Second)
	if imgs := evalJS[int](t, ctx, `document.querySelectorAll("#feed img").length`); imgs != 0 {
		t.Errorf("the feed holds %d <img> elements; event data was rendered as markup", imgs)
	}
	if xssRan := evalJS[bool](t, ctx, `window.__xss !== undefined`); xssRan {
		t.Error("window.__xss is set: the notification's markup ran")
	}

	const samples = `document.querySelector("#metric-streams svg polyline").getAttribute("points").split(" ").length`
	first := evalJS[int](t, ctx, samples)
	waitJS(t, ctx, samples+` > `+strconv.Itoa(first), 10*time.Second)
}
