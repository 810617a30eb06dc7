package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A first visit downloads app.wasm once: the service worker, which installs
// while the page compiles it, keeps the page's copy from the HTTP cache,
// revalidated, instead of downloading it again. Chromium's network log
// (--log-net-log) counts the downloads, the worker's among them.
func TestAFirstVisitDownloadsAppWasmOnce(t *testing.T) {
	in := startHerald(t, "-demo=false")
	logFile := filepath.Join(t.TempDir(), "netlog.json")
	ctx := newBrowser(t, chromedp.Flag("log-net-log", logFile))
	if err := chromedp.Do(ctx, chromedp.Navigate(in.URL+"/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `performance.getEntriesByName("herald:go-main").length > 0`, 30*time.Second)
	waitJS(t, ctx, `caches.match("/web/app.wasm").then(r => r !== undefined)`, 30*time.Second)
	chromedp.Cancel(ctx) // the browser completes its log as it closes
	if n := downloads(t, logFile, in.URL+"/web/app.wasm"); n != 1 {
		t.Errorf("the first visit downloaded app.wasm %d times; want once", n)
	}
}

// netLog is the part of Chromium's network log that downloads reads.
type netLog struct {
	Constants struct {
		LogEventTypes map[string]int `json:"logEventTypes"`
	} `json:"constants"`
	Events []struct {
		Type   int `json:"type"`
		Source struct {
			ID int `json:"id"`
		} `json:"source"`
		Params struct {
			URL     string   `json:"url"`
			Headers []string `json:"headers"`
		} `json:"params"`
	} `json:"events"`
}

// downloads returns how many requests for url the network log at path
// shows answered by the network with 200 OK: a request the HTTP cache
// answers, or one revalidated with 304 Not Modified, downloads nothing.
func downloads(t *testing.T, path, url string) int {
	t.Helper()
	log := readNetLog(t, path)
	start, okStart := log.Constants.LogEventTypes["URL_REQUEST_START_JOB"]
	headers, okHeaders := log.Constants.LogEventTypes["HTTP_TRANSACTION_READ_RESPONSE_HEADERS"]
	if !okStart || !okHeaders {
		t.Fatal("the network log names no URL_REQUEST_START_JOB or HTTP_TRANSACTION_READ_RESPONSE_HEADERS events")
	}
	requests := map[int]bool{}
	n := 0
	for _, e := range log.Events {
		switch {
		case e.Type == start && e.Params.URL == url:
			requests[e.Source.ID] = true
		case e.Type == headers && requests[e.Source.ID] && len(e.Params.Headers) > 0 &&
			strings.Contains(e.Params.Headers[0], " 200"):
			n++
		}
	}
	return n
}

// readNetLog parses Chromium's network log at path.
func readNetLog(t *testing.T, path string) netLog {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read the network log: %v", err)
	}
	var log netLog
	if err := json.Unmarshal(b, &log); err != nil {
		// A log cut as the browser closed lacks its closing brackets.
		cut := strings.TrimRight(strings.TrimSpace(string(b)), ",") + "]}"
		if json.Unmarshal([]byte(cut), &log) != nil {
			t.Fatalf("parse the network log %s: %v", path, err)
		}
	}
	return log
}
