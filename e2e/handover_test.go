package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// captureState is run in every new document before its own scripts: when
// the HTML is parsed, before app.wasm can start, it keeps the #herald-state
// element's text and the log lines the server rendered.
const captureState = `document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("herald-state");
  window.heraldTestState = el ? el.textContent : "";
  window.heraldTestLines = [...document.querySelectorAll("#log li .text")].map((e) => e.textContent);
});`

// shownLines is the text of the log lines the page shows, oldest first.
const shownLines = `[...document.querySelectorAll("#log li .text")].map((e) => e.textContent)`

// The prerendered state and the stream meet with no event lost and none
// twice: while numbered log lines are published without pause, each load of
// the page shows the state of an id and then, once app.wasm runs, exactly
// the lines after it, the line after the state's last one first.
func TestThePrerenderedStateHandsOverToTheStreamWithNothingLostOrTwice(t *testing.T) {
	in := startHerald(t, "-demo=false")
	published := publishEvery(t, in, 50*time.Millisecond, 3000, func(i int) string { return logLine("info", "line "+strconv.Itoa(i)) })
	waitUntil(t, 10*time.Second, "the first lines published", func() bool { return published.Load() >= 5 })
	ctx := newBrowser(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: captureState}); err != nil {
		t.Fatalf("add the capture of the state: %v", err)
	}
	for load := range 4 {
		t.Run(fmt.Sprintf("load %d", load+1), func(t *testing.T) {
			checkHandOver(t, ctx, in.URL)
		})
	}
}

// checkHandOver loads the page and checks that the lines it shows once live
// continue those of its prerendered state, one by one.
func checkHandOver(t *testing.T, ctx context.Context, url string) {
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(url+"/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `typeof window.heraldTestState === "string"`, 30*time.Second)
	var state struct {
		URL   string   `json:"url"`
		ID    string   `json:"id"`
		Types []string `json:"types"`
		State struct {
			Logs struct {
				Items []struct{ Text string } `json:"items"`
			} `json:"logs"`
		} `json:"state"`
	}
	raw := evalJS[string](t, ctx, `window.heraldTestState`)
	if err := json.Unmarshal([]byte(raw), &state); err != nil || state.ID == "" || len(state.State.Logs.Items) == 0 {
		t.Fatalf("the page's #herald-state %q (%v): want an id and log lines", raw, err)
	}
	if !strings.Contains(state.URL, "topic=logs") || !containsAll(state.Types, "log", "metric", "notification") {
		t.Errorf("state url %q, types %q: want the logs topic and the page's types", state.URL, state.Types)
	}
	var prerendered []string
	for _, l := range state.State.Logs.Items {
		prerendered = append(prerendered, l.Text)
	}
	rendered := evalJS[[]string](t, ctx, `window.heraldTestLines`)
	if strings.Join(rendered, ",") != strings.Join(prerendered, ",") {
		t.Errorf("the HTML shows lines %s, the state holds %s: the page must show its state", span(rendered), span(prerendered))
	}
	last := lineNumber(t, prerendered[len(prerendered)-1])
	waitLive(t, ctx)
	waitJS(t, ctx, fmt.Sprintf(`%s.some((s) => Number(s.slice(5)) > %d)`, shownLines, last), 30*time.Second)
	shown := evalJS[[]string](t, ctx, shownLines)
	if err := contiguous(t, shown); err != nil {
		t.Fatalf("lines %s: %v", span(shown), err)
	}
	if first := lineNumber(t, shown[0]); first > last {
		t.Errorf("lines %s begin after the state's last line %d: the state was not handed over", span(shown), last)
	}
	t.Logf("state at id %s, its last line %d; shown %s", state.ID, last, span(shown))
}

// lineNumber returns the number of a line "line N".
func lineNumber(t *testing.T, text string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.TrimPrefix(text, "line "))
	if err != nil {
		t.Fatalf("log line %q is not a numbered line", text)
	}
	return n
}

// contiguous reports the first line that does not follow the one before.
func contiguous(t *testing.T, lines []string) error {
	for i := 1; i < len(lines); i++ {
		prev, cur := lineNumber(t, lines[i-1]), lineNumber(t, lines[i])
		switch {
		case cur <= prev:
			return fmt.Errorf("line %d follows line %d: shown twice", cur, prev)
		case cur > prev+1:
			return fmt.Errorf("line %d follows line %d: %d lost", cur, prev, cur-prev-1)
		}
	}
	return nil
}

// span shows lines by their first and last, and how many.
func span(lines []string) string {
	if len(lines) == 0 {
		return "[]"
	}
	return fmt.Sprintf("[%s … %s] (%d)", lines[0], lines[len(lines)-1], len(lines))
}

// containsAll reports whether list holds every one of want.
func containsAll(list []string, want ...string) bool {
	for _, w := range want {
		found := false
		for _, s := range list {
			found = found || s == w
		}
		if !found {
			return false
		}
	}
	return true
}
