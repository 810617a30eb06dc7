package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// tabTo presses Tab until the element with id has the focus, or fails the
// test after a bounded number of presses.
func tabTo(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	for range 40 {
		if evalJS[string](t, ctx, `document.activeElement?.id ?? ""`) == id {
			return
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("40 presses of Tab did not reach #%s", id)
}

// On a phone-sized screen the page fits its width, long text included, and
// the keyboard alone signs in and starts a job.
func TestAPhoneScreenAndAKeyboardAreEnough(t *testing.T) {
	in := startHerald(t, "-demo=false")
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	openApp(t, ctx, in.URL+"/")
	long := strings.Repeat("averyveryverylongwordwithoutspaces", 8)
	in.publish(t, batch(notification("ann", long, "warn"), metric("load", 42), logLine("error", long)))
	waitJS(t, ctx, `document.querySelectorAll("#feed li, .metric, #log li").length === 3`, 10*time.Second)
	if w := evalJS[[]int](t, ctx, `[document.documentElement.scrollWidth, window.innerWidth]`); w[0] > w[1] {
		t.Errorf("the page is %d px wide on a %d px screen", w[0], w[1])
	}
	if live := evalJS[string](t, ctx, `document.querySelector("#feed").getAttribute("aria-live")`); live != "polite" {
		t.Errorf("the feed's aria-live is %q, want polite", live)
	}

	tabTo(t, ctx, "sign-in-name")
	if err := chromedp.Do(ctx, chromedp.KeyEvent("kim"), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelector("#user")?.textContent === "kim"`, 10*time.Second)
	waitJS(t, ctx, `document.querySelector("#start-job").disabled === false`, 10*time.Second)
	tabTo(t, ctx, "start-job")
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelector(".job progress") !== null`, 10*time.Second)

	// The log scrolls from the keyboard too.
	tabTo(t, ctx, "log")
}

// Signing in in one tab signs in the others, and the tabs still share one
// stream: the user's own.
func TestASignInInOneTabFollowsInTheOthers(t *testing.T) {
	in := startHerald(t, "-demo=false")
	proxy := newStreamProxy(t, in)
	browser := newBrowser(t)
	first, _ := newTab(t, browser)
	openApp(t, first, proxy.URL+"/")
	second, _ := newTab(t, browser)
	openApp(t, second, proxy.URL+"/")

	signIn(t, first, "lee")
	waitJS(t, second, `document.querySelector("#user")?.textContent === "lee"`, 10*time.Second)
	waitLive(t, second)
	proxy.resetPeak()
	waitUntil(t, 10*time.Second, "one stream, of lee's topic", func() bool {
		open, _, _, _, urls := proxy.stats()
		return open == 1 && len(urls) > 0 && strings.Contains(urls[len(urls)-1], "user%2Flee")
	})

	click(t, second, "#start-job")
	for _, tab := range []context.Context{first, second} {
		waitJS(t, tab, `document.querySelector(".job.done") !== null`, 20*time.Second)
	}
	if open, peak, _, _, _ := proxy.stats(); open != 1 || peak != 1 {
		t.Errorf("the signed-in tabs had %d streams open at once, %d now; want one", peak, open)
	}
}
