package e2e

import (
	"os"
	"path/filepath"
	"testing"
)

// jsPageHTML is the hand-written JavaScript page the first-event benchmark
// compares Herald's page with: one EventSource on the same server, and the
// value of each metric written into a paragraph.
const jsPageHTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>A plain EventSource</title>
<script defer src="/web/js-page.js"></script>
</head>
<body><p id="value">waiting</p></body>
</html>
`

// jsPageJS is the script of jsPageHTML (the page's CSP allows no inline
// script). The User Timing mark "js:first-event" says when the first event
// is on the screen.
const jsPageJS = `"use strict";
const source = new EventSource("/events?topic=metrics");
source.addEventListener("metric", (e) => {
  document.getElementById("value").textContent = JSON.parse(e.data).value;
  if (performance.getEntriesByName("js:first-event").length === 0) {
    performance.mark("js:first-event");
  }
});
`

// webDirWithJSPage returns a copy of the built front end with the
// hand-written page beside it, served at /web/js-page.html.
func webDirWithJSPage(tb testing.TB) string {
	tb.Helper()
	_, webDir := buildHerald(tb)
	dir := filepath.Join(tb.TempDir(), "web")
	if err := os.CopyFS(dir, os.DirFS(webDir)); err != nil {
		tb.Fatalf("copy the front end: %v", err)
	}
	for name, body := range map[string]string{"js-page.html": jsPageHTML, "js-page.js": jsPageJS} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			tb.Fatalf("write the JavaScript page: %v", err)
		}
	}
	return dir
}
