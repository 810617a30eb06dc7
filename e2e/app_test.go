package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/heraldhq/herald/app/events"
)

// openApp opens url in the tab of ctx and waits until the app is live.
func openApp(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	waitLive(t, ctx)
}

// waitLive waits until the status says live.
func waitLive(t *testing.T, ctx context.Context) {
	t.Helper()
	waitJS(t, ctx, `document.querySelector("#status.live") !== null`, 30*time.Second)
}

// newTab opens a new tab in the browser of ctx; it closes when the test ends
// or when its cancel function is called.
func newTab(t *testing.T, ctx context.Context) (context.Context, context.CancelFunc) {
	t.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	logConsole(t, tab)
	return tab, cancel
}

// notification returns the body of POST /publish for a notification to
// everyone.
func notification(user, message, level string) string {
	b, _ := json.Marshal(map[string]any{
		"topic": events.PublicTopic, "type": "notification",
		"data": map[string]string{"user": user, "message": message, "level": level},
	})
	return string(b)
}

// metric returns the body of POST /publish for a metric sample in percent.
func metric(name string, value float64) string { return metricUnit(name, value, "%") }

// metricUnit returns the body of POST /publish for a metric sample in unit.
func metricUnit(name string, value float64, unit string) string {
	return fmt.Sprintf(`{"topic":%q,"type":"metric","data":{"name":%q,"value":%g,"unit":%q,"at":%q}}`,
		events.MetricsTopic, name, value, unit, time.Now().UTC().Format(time.RFC3339Nano))
}

// logLine returns the body of POST /publish for a log line.
func logLine(level, text string) string {
	return fmt.Sprintf(`{"topic":%q,"type":"log","data":{"at":%q,"level":%q,"text":%q}}`,
		events.LogsTopic, time.Now().UTC().Format(time.RFC3339Nano), level, text)
}

// batch joins publish bodies into one that publishes them all.
func batch(bodies ...string) string { return "[" + strings.Join(bodies, ",") + "]" }

// feed returns the messages of the notifications feed, oldest first.
func feed(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return evalJS[[]string](t, ctx, `[...document.querySelectorAll("#feed .message")].map(e => e.textContent).reverse()`)
}

// waitFeed waits until the feed holds want, oldest first, and nothing else.
func waitFeed(t *testing.T, ctx context.Context, want []string, timeout time.Duration) {
	t.Helper()
	js, _ := json.Marshal(want)
	cond := `JSON.stringify([...document.querySelectorAll("#feed .message")].map(e => e.textContent).reverse()) === ` + strconv.Quote(string(js))
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](cond,
		chromedp.WithPollingInterval(20*time.Millisecond),
		chromedp.WithPollingTimeout(timeout)))
	if err != nil {
		t.Fatalf("waited %v for the feed to be %q; it is %q: %v", timeout, want, feed(t, ctx), err)
	}
}

// numbered returns prefix1 … prefixN.
func numbered(prefix string, from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, prefix+strconv.Itoa(i))
	}
	return out
}

// waitUntil polls cond until it holds, or fails the test after timeout.
func waitUntil(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// typeInto types text into the empty input at sel, as a user would.
func typeInto(t *testing.T, ctx context.Context, sel, text string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(sel), text)); err != nil {
		t.Fatalf("type into %s: %v", sel, err)
	}
}

// click clicks the element at sel.
func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
}

// signIn signs in as name with the page's form and waits until the page
// streams the user's topic.
func signIn(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	typeInto(t, ctx, "#sign-in-name", name)
	click(t, ctx, "#sign-in")
	waitJS(t, ctx, `document.querySelector("#user")?.textContent === `+strconv.Quote(name), 10*time.Second)
	waitLive(t, ctx)
}
