package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// violationWatcher records, in window.cspViolations of every document the
// tab opens, the Content-Security-Policy violations the document reports.
const violationWatcher = `window.cspViolations = [];
document.addEventListener("securitypolicyviolation", e =>
	window.cspViolations.push(e.effectiveDirective + " blocked " + (e.blockedURI || "inline")));`

// browserLog records the messages of the tab's Log domain: the browser's
// own warnings and errors, CSP and frame refusals among them.
type browserLog struct {
	mu       sync.Mutex
	messages []string
}

// recordBrowserLog enables the Log domain of the tab of ctx and records it.
func recordBrowserLog(t *testing.T, ctx context.Context) *browserLog {
	t.Helper()
	l := &browserLog{}
	_ = chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*log.EventEntryAdded); ok {
			l.mu.Lock()
			l.messages = append(l.messages, e.Entry.Text)
			l.mu.Unlock()
			t.Logf("browser log: %s", e.Entry.Text)
		}
	})
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enable the browser log: %v", err)
	}
	return l
}

// matching returns the recorded messages that contain any of words.
func (l *browserLog) matching(words ...string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, m := range l.messages {
		for _, w := range words {
			if strings.Contains(m, w) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// The app runs under the policy it sends: it loads, installs its service
// worker, charts the dashboard, tails the log, signs in, runs a job and
// streams notifications without a single violation, while an inline script
// that an attacker would inject is blocked and reported.
func TestAppRunsUnderItsContentSecurityPolicy(t *testing.T) {
	in := startHerald(t)
	ctx := newBrowser(t)
	blog := recordBrowserLog(t, ctx)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: violationWatcher}); err != nil {
		t.Fatalf("add the violation watcher: %v", err)
	}
	openApp(t, ctx, in.URL+"/")
	waitServiceWorker(t, ctx)
	waitJS(t, ctx, `document.querySelectorAll(".metric svg polyline").length === 6`, 10*time.Second)
	refused, err := http.Post(in.URL+"/publish", "application/json", strings.NewReader(notification("mallory", "refused", "info")))
	if err != nil {
		t.Fatal(err)
	}
	refused.Body.Close()
	waitJS(t, ctx, `document.querySelectorAll("#log li").length > 0`, 10*time.Second)
	signIn(t, ctx, "alice")
	click(t, ctx, "#start-job")
	waitJS(t, ctx, `document.querySelectorAll(".job").length === 1`, 5*time.Second)
	in.publish(t, notification("bob", "under the policy", "info"))
	waitFeed(t, ctx, []string{"under the policy"}, 10*time.Second)

	if got := evalJS[[]string](t, ctx, `window.cspViolations`); len(got) != 0 {
		t.Errorf("the app caused CSP violations: %q", got)
	}
	if got := blog.matching("Content Security Policy", "Content-Security-Policy"); len(got) != 0 {
		t.Errorf("the browser reported CSP violations: %q", got)
	}

	evalJS[bool](t, ctx, `window.injected = false;
		const s = document.createElement("script");
		s.textContent = "window.injected = true";
		document.body.appendChild(s); true`)
	waitJS(t, ctx, `window.cspViolations.length > 0`, 5*time.Second)
	if evalJS[bool](t, ctx, `window.injected`) {
		t.Error("an injected inline script ran")
	}
	if got := evalJS[[]string](t, ctx, `window.cspViolations`); len(got) != 1 || !strings.HasPrefix(got[0], "script-src") {
		t.Errorf("violations %q, want the one of the injected script", got)
	}
}

// framingPage serves, on a loopback port of its own, a page that frames
// target: the same site as the app, another origin.
func framingPage(t *testing.T, target string) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><title>framer</title><iframe id="victim" src="` + target + `" width="800" height="600"></iframe>`))
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

// A page on another loopback port cannot frame the app: the browser refuses
// to show it, so the app in the frame never loads its script, let alone
// streams.
func TestPageOnAnotherPortCannotFrameTheApp(t *testing.T) {
	in := startHerald(t, "-demo=false")
	ctx := newBrowser(t)
	blog := recordBrowserLog(t, ctx)
	seen := recordResponses(t, ctx)
	framer := framingPage(t, in.URL+"/")
	if err := chromedp.Do(ctx, chromedp.Navigate(framer)); err != nil {
		t.Fatalf("open the framing page: %v", err)
	}
	waitUntil(t, 10*time.Second, "the framed page's answer", func() bool {
		for _, r := range seen.of("/") {
			if strings.HasPrefix(r.URL, in.URL) {
				return true
			}
		}
		return false
	})
	// The frame's page loads its script at once when it is shown; give it
	// the time it would need.
	time.Sleep(2 * time.Second)
	if got := seen.of("/app.js"); len(got) != 0 {
		t.Errorf("the framed app loaded its script %d times: it was shown", len(got))
	}
	if got := seen.of("/events"); len(got) != 0 {
		t.Errorf("the framed app opened %d streams", len(got))
	}
	if got := blog.matching("frame-ancestors", "X-Frame-Options"); len(got) == 0 {
		t.Error("the browser did not report the refused frame")
	}
}

// The poll, the example to copy, sends the same kind of policy and runs
// under it.
func TestThePollRunsUnderItsContentSecurityPolicy(t *testing.T) {
	base := startPoll(t)
	castVote(t, base, "rust") // the page shows it once it runs, not before
	ctx := newBrowser(t)
	blog := recordBrowserLog(t, ctx)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: violationWatcher}); err != nil {
		t.Fatalf("add the violation watcher: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base)); err != nil {
		t.Fatalf("open %s: %v", base, err)
	}
	waitTally(t, ctx, map[string]int{"go": 0, "rust": 1, "zig": 0}, 1)
	click(t, ctx, "#vote-go")
	waitTally(t, ctx, map[string]int{"go": 1, "rust": 1, "zig": 0}, 2)

	policy := awaitJS[string](t, ctx, `fetch("/").then(r => r.headers.get("Content-Security-Policy") || "")`)
	for _, want := range []string{"frame-ancestors 'none'", "'wasm-unsafe-eval'"} {
		if !strings.Contains(policy, want) {
			t.Errorf("the poll's policy %q lacks %s", policy, want)
		}
	}
	if got := evalJS[[]string](t, ctx, `window.cspViolations`); len(got) != 0 {
		t.Errorf("the poll caused CSP violations: %q", got)
	}
	if got := blog.matching("Content Security Policy", "Content-Security-Policy"); len(got) != 0 {
		t.Errorf("the browser reported CSP violations: %q", got)
	}
}
