package e2e

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// When the server comes back with a new build, the open page offers it with
// a banner, and its Reload button loads it.
func TestANewBuildShowsTheUpdateBanner(t *testing.T) {
	old := startHerald(t, "-demo=false")
	ctx := newBrowser(t)
	openApp(t, ctx, old.URL+"/")
	waitServiceWorker(t, ctx)
	if banner := evalJS[bool](t, ctx, `document.querySelector("#update") !== null`); banner {
		t.Fatal("the first visit shows the update banner")
	}

	// The same address serves a build whose stylesheet changed.
	_, webDir := buildHerald(t)
	newDir := filepath.Join(t.TempDir(), "web")
	if err := os.CopyFS(newDir, os.DirFS(webDir)); err != nil {
		t.Fatal(err)
	}
	css := filepath.Join(newDir, "app.css")
	b, err := os.ReadFile(css)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(css, append(b, "\n/* build 2 */\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(old.URL)
	if err != nil {
		t.Fatal(err)
	}
	_ = old.cmd.Process.Kill()
	_ = old.cmd.Wait()
	startHerald(t, "-demo=false", "-addr", u.Host, "-web-dir", newDir)

	evalJS[bool](t, ctx, `(navigator.serviceWorker.getRegistration().then(r => r.update()), true)`)
	waitJS(t, ctx, `document.querySelector("#update button") !== null`, 30*time.Second)
	click(t, ctx, "#update button")
	waitJS(t, ctx, `document.querySelector("#update") === null && document.querySelector("#status.live") !== null`, 30*time.Second)
	// The new build's stylesheet, from the new worker's cache.
	waitJS(t, ctx, `fetch("/web/app.css").then(r => r.text()).then(t => t.includes("build 2"))`, 5*time.Second)
}
