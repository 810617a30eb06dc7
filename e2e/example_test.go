package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// pollBuild holds the example poll's binary and its directory, with
// web/app.wasm beside it as go-app expects, built once for all tests.
var pollBuild struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// buildPoll builds examples/poll, natively and for the browser, into a
// temporary directory, once.
func buildPoll(t testing.TB) (bin, dir string) {
	t.Helper()
	pollBuild.once.Do(func() {
		pollBuild.dir, pollBuild.err = os.MkdirTemp("", "herald-poll-")
		if pollBuild.err != nil {
			return
		}
		pollBuild.bin = filepath.Join(pollBuild.dir, "poll")
		pollBuild.err = buildPollInto(pollBuild.bin, pollBuild.dir)
	})
	if pollBuild.err != nil {
		t.Fatal(pollBuild.err)
	}
	return pollBuild.bin, pollBuild.dir
}

func buildPollInto(bin, dir string) error {
	icon := filepath.Join("examples", "poll", "web", "icon.svg")
	if err := os.MkdirAll(filepath.Join(dir, "web"), 0o755); err != nil {
		return fmt.Errorf("make the poll's web directory: %w", err)
	}
	b, err := os.ReadFile(filepath.Join(repoRoot, icon))
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "web", "icon.svg"), b, 0o644)
	}
	if err != nil {
		return fmt.Errorf("copy %s: %w", icon, err)
	}
	builds := []struct {
		out string
		env []string
	}{
		{bin, nil},
		{filepath.Join(dir, "web", "app.wasm"), []string{"GOOS=js", "GOARCH=wasm"}},
	}
	for _, b := range builds {
		cmd := exec.Command("go", "build", "-o", b.out, "./examples/poll")
		cmd.Dir = repoRoot
		cmd.Env = append(os.Environ(), b.env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("build the poll %v: %v\n%s", b.env, err, out)
		}
	}
	return nil
}

// startPoll starts the poll on a free loopback port, from its directory, and
// returns its URL. It stops when the test ends.
func startPoll(t *testing.T) string {
	t.Helper()
	bin, dir := buildPoll(t)
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
	cmd.Dir = dir
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	urlc := make(chan string, 1)
	go scanLog(t, stderr, urlc)
	select {
	case u := <-urlc:
		return u
	case <-time.After(20 * time.Second):
		t.Fatal("the poll did not report its address within 20s")
		return ""
	}
}

// castVote votes for option with POST /vote, as curl would, and fails the
// test unless the poll answers 200 with a tally.
func castVote(t *testing.T, base, option string) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Post(base+"/vote", "application/json", strings.NewReader(fmt.Sprintf(`{"option": %q}`, option)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tally struct{ Total int }
	if err := json.NewDecoder(resp.Body).Decode(&tally); resp.StatusCode != http.StatusOK || err != nil || tally.Total < 1 {
		t.Fatalf("vote for %q: status %d, tally %+v (%v); want 200 and a tally that counts it", option, resp.StatusCode, tally, err)
	}
}

// requestCounts counts the requests a tab sends, by URL path.
type requestCounts struct {
	mu     sync.Mutex
	byPath map[string]int
}

// countRequests starts counting the requests of the tab of ctx.
func countRequests(t *testing.T, ctx context.Context) *requestCounts {
	t.Helper()
	c := &requestCounts{byPath: map[string]int{}}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*network.EventRequestWillBeSent); ok {
			if u, err := url.Parse(ev.Request.URL); err == nil {
				c.mu.Lock()
				c.byPath[u.Path]++
				c.mu.Unlock()
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// of returns how many requests of path were sent.
func (c *requestCounts) of(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byPath[path]
}

// waitTally waits until the page of ctx shows votes for each option and
// total votes in all.
func waitTally(t *testing.T, ctx context.Context, votes map[string]int, total int) {
	t.Helper()
	conds := []string{`document.querySelector("#total")?.textContent === ` + strconv.Quote(fmt.Sprintf("%d votes", total))}
	for option, n := range votes {
		conds = append(conds, fmt.Sprintf(`document.querySelector("#votes-%s")?.textContent === %q`, option, fmt.Sprintf(" %d", n)))
	}
	waitJS(t, ctx, strings.Join(conds, " && "), 15*time.Second)
}

func TestThePollShowsEveryVoteLiveInEveryOpenPageBehindTheAppsOwnMiddleware(t *testing.T) {
	base := startPoll(t)
	castVote(t, base, "rust") // cast before the pages open: they fetch it
	first := newBrowser(t)
	// The second page is in a browser context of its own, so that it has
	// its own stream rather than one shared with the first page's tab.
	second, cancel := chromedp.NewContext(first, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	logConsole(t, second)
	pages := []context.Context{first, second}
	var counts []*requestCounts
	for _, page := range pages {
		counts = append(counts, countRequests(t, page))
		if err := chromedp.Do(page, chromedp.Navigate(base)); err != nil {
			t.Fatalf("open %s: %v", base, err)
		}
		waitTally(t, page, map[string]int{"go": 0, "rust": 1, "zig": 0}, 1)
	}

	click(t, first, "#vote-go")
	for _, page := range pages {
		waitTally(t, page, map[string]int{"go": 1, "rust": 1, "zig": 0}, 2)
	}
	click(t, second, "#vote-zig")
	click(t, second, "#vote-zig")
	for _, page := range pages {
		waitTally(t, page, map[string]int{"go": 1, "rust": 1, "zig": 2}, 4)
	}

	// Each page opened its stream once and fetched the tally once: the
	// votes came on the stream, not from a reconnection and its refetch.
	for i, c := range counts {
		if events, tally := c.of("/events"), c.of("/tally"); events != 1 || tally != 1 {
			t.Errorf("page %d sent %d stream requests and %d tally requests; want 1 and 1", i+1, events, tally)
		}
	}
}
