package e2e

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// waitServiceWorker waits until the page's service worker is active, its
// cache filled, and reloads the page so that the worker controls it.
func waitServiceWorker(t *testing.T, ctx context.Context) {
	t.Helper()
	waitJS(t, ctx, `navigator.serviceWorker.getRegistration().then(r => !!(r && r.active && r.active.state === "activated"))`, 30*time.Second)
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatalf("reload: %v", err)
	}
	waitJS(t, ctx, `navigator.serviceWorker.controller !== null`, 10*time.Second)
	waitLive(t, ctx)
}

// responses records the responses the tab of ctx receives, by URL path,
// with the headers their requests went with and their size on the wire.
type responses struct {
	mu       sync.Mutex
	byPath   map[string][]*network.Response
	ids      map[string][]network.RequestID
	requests map[network.RequestID]network.Headers
	sizes    map[network.RequestID]float64
}

func recordResponses(t *testing.T, ctx context.Context) *responses {
	t.Helper()
	r := &responses{
		byPath:   map[string][]*network.Response{},
		ids:      map[string][]network.RequestID{},
		requests: map[network.RequestID]network.Headers{},
		sizes:    map[network.RequestID]float64{},
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Listen(ctx, r.record); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *responses) record(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventResponseReceived:
		if u, err := url.Parse(ev.Response.URL); err == nil {
			r.byPath[u.Path] = append(r.byPath[u.Path], ev.Response)
			r.ids[u.Path] = append(r.ids[u.Path], ev.RequestID)
		}
	case *network.EventRequestWillBeSentExtraInfo:
		r.requests[ev.RequestID] = ev.Headers
	case *network.EventLoadingFinished:
		r.sizes[ev.RequestID] = ev.EncodedDataLength
	}
}

// of returns the responses to requests of path, oldest first.
func (r *responses) of(path string) []*network.Response {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*network.Response(nil), r.byPath[path]...)
}

// first returns the first response to path, the headers of its request and
// its size on the wire.
func (r *responses) first(t *testing.T, path string) (*network.Response, network.Headers, float64) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.byPath[path]) == 0 {
		t.Fatalf("no response for %s", path)
	}
	id := r.ids[path][0]
	return r.byPath[path][0], r.requests[id], r.sizes[id]
}

// header returns the value of a header, whatever its case.
func header(h network.Headers, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			s, _ := v.(string)
			return s
		}
	}
	return ""
}

// The first load gets app.wasm compressed, in an encoding the browser asked
// for. Once the service worker controls the page, it answers the app shell
// from its cache but never the event stream or the API.
func TestServiceWorkerServesTheShellButNeverTheStreamOrTheAPI(t *testing.T) {
	in := startHerald(t, "-demo=false")
	ctx := newBrowser(t)
	seen := recordResponses(t, ctx)
	openApp(t, ctx, in.URL+"/")

	wasm, req, size := seen.first(t, "/web/app.wasm")
	enc, accepted := header(wasm.Headers, "Content-Encoding"), header(req, "Accept-Encoding")
	if enc != "br" && enc != "gzip" {
		t.Errorf("app.wasm came with Content-Encoding %q, want br or gzip", enc)
	} else if !strings.Contains(accepted, enc) {
		t.Errorf("app.wasm came in %s, which the browser did not ask for (%q)", enc, accepted)
	}
	if v := header(wasm.Headers, "Vary"); !strings.Contains(v, "Accept-Encoding") {
		t.Errorf("app.wasm came with Vary %q, want Accept-Encoding", v)
	}
	t.Logf("app.wasm: %s (asked for %q), %.0f bytes on the wire", enc, accepted, size)

	waitServiceWorker(t, ctx)
	in.publish(t, notification("ann", "through the worker?", "info"))
	waitFeed(t, ctx, []string{"through the worker?"}, 10*time.Second)

	for _, path := range []string{"/app.js", "/web/app.css"} {
		if rs := seen.of(path); len(rs) == 0 || !rs[len(rs)-1].FromServiceWorker {
			t.Errorf("%s was not answered by the service worker: the test cannot tell it is active", path)
		}
	}
	for _, path := range []string{"/events", "/session"} {
		rs := seen.of(path)
		if len(rs) < 2 {
			t.Errorf("%s was asked %d times, want once per load", path, len(rs))
		}
		for _, r := range rs {
			if r.FromServiceWorker {
				t.Errorf("%s was answered by the service worker", path)
			}
		}
	}
	if rs := seen.of("/events"); len(rs) > 0 && header(rs[len(rs)-1].Headers, "Content-Type") != "text/event-stream" {
		t.Errorf("/events answered %q", header(rs[len(rs)-1].Headers, "Content-Type"))
	}
}

// Offline, a reload shows the app from the worker's cache, and the status
// says offline rather than the browser showing an error page.
func TestOfflineReloadShowsTheAppWithOfflineStatus(t *testing.T) {
	in := startHerald(t, "-demo=false")
	ctx := newBrowser(t)
	openApp(t, ctx, in.URL+"/")
	waitServiceWorker(t, ctx)

	offline := true
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: &offline,
		MatchedNetworkConditions:    []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatalf("reload offline: %v", err)
	}
	waitJS(t, ctx, `document.querySelector("#status.offline .state")?.textContent === "offline"`, 30*time.Second)
	if title := evalJS[string](t, ctx, `document.querySelector("h1")?.textContent ?? ""`); title != "Herald" {
		t.Errorf("offline, the page's title is %q: not the app shell", title)
	}
	if n := evalJS[int](t, ctx, `document.querySelectorAll("#metrics, #notifications, #jobs, #logs").length`); n != 4 {
		t.Errorf("offline, the page shows %d of the 4 panels", n)
	}
	if online := evalJS[bool](t, ctx, `navigator.onLine`); online {
		t.Error("the emulation left the browser online: the test proves nothing")
	}
}

// wasmBudget is the most bytes app.wasm may take compressed with brotli at
// the release level (make release).
const wasmBudget = 1_600_000

// The front end stays within its download budget, compressed as a release
// build compresses it (tools/precompress without -fast: brotli 11), by the
// tool itself, not under the race detector.
func TestAppWasmFitsItsBrotliBudget(t *testing.T) {
	_, webDir := buildHerald(t)
	wasm := filepath.Join(t.TempDir(), "app.wasm")
	b, err := os.ReadFile(filepath.Join(webDir, "app.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(wasm, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "run", "./tools/precompress", wasm)
	cmd.Dir = repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("compress app.wasm for a release: %v\n%s", err, out)
	}
	fi, err := os.Stat(wasm + ".br")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("app.wasm: %d bytes, %d with brotli 11", len(b), fi.Size())
	if fi.Size() > wasmBudget {
		t.Errorf("app.wasm is %d bytes with brotli 11, over its budget of %d", fi.Size(), wasmBudget)
	}
}
