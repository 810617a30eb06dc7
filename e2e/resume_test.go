package e2e

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// A reloaded page resumes from the id of the state it was rendered with,
// which holds the events the page had shown: it shows those, then the
// events published while it reloaded, none twice.
func TestReloadResumesWithoutMissingEvents(t *testing.T) {
	in := startHerald(t, "-demo=false")
	proxy := newStreamProxy(t, in)
	ctx := newBrowser(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: captureState}); err != nil {
		t.Fatalf("add the capture of the state: %v", err)
	}
	openApp(t, ctx, proxy.URL+"/")
	in.publish(t, batch(notification("ann", "before 1", "info"), notification("ann", "before 2", "info")))
	waitFeed(t, ctx, []string{"before 1", "before 2"}, 10*time.Second)
	lastID := evalJS[string](t, ctx, `document.querySelector("#status .last-id").textContent.replace(" · last event ", "")`)

	// The page's next stream waits until events were published without it.
	proxy.hold()
	evalJS[bool](t, ctx, `(location.reload(), true)`)
	waitUntil(t, 10*time.Second, "the old page's stream to close", func() bool {
		open, _, _, _, _ := proxy.stats()
		return open == 0
	})
	in.publish(t, batch(notification("ann", "during 1", "info"), notification("ann", "during 2", "info")))
	waitUntil(t, 30*time.Second, "the reloaded page to ask for its stream", func() bool {
		_, _, _, waiting, _ := proxy.stats()
		return waiting == 1
	})
	_, _, _, _, asked := proxy.stats()
	proxy.release()

	waitJS(t, ctx, `typeof window.heraldTestState === "string"`, 10*time.Second)
	var state struct{ ID string }
	if err := json.Unmarshal([]byte(evalJS[string](t, ctx, `window.heraldTestState`)), &state); err != nil {
		t.Fatalf("the reloaded page's #herald-state: %v", err)
	}
	if mustUint(t, state.ID) < mustUint(t, lastID) {
		t.Errorf("the reloaded page's state is at id %q; want one at or after the last event it had shown, %s", state.ID, lastID)
	}
	if got := lastEventID(t, asked[0]); got != state.ID {
		t.Errorf("the reloaded page asked for %s; want it to resume from the id of its state, %s", asked[0], state.ID)
	}
	waitFeed(t, ctx, []string{"before 1", "before 2", "during 1", "during 2"}, 10*time.Second)
	waitLive(t, ctx)
}

// mustUint returns the event id s as a number.
func mustUint(t *testing.T, s string) uint64 {
	t.Helper()
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatalf("event id %q is not a number: %v", s, err)
	}
	return n
}
