//go:build !(js && wasm)

package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heraldhq/herald/app/page"
	"github.com/heraldhq/herald/app/ui"
)

// frontEndIn returns the front end of a web directory holding a small
// app.wasm and app.css, with its page headers, and the app's routes.
func frontEndIn(t *testing.T) http.Handler {
	t.Helper()
	ui.Routes()
	dir := t.TempDir()
	for name, content := range map[string]string{"app.wasm": "wasm", "app.css": "body{}"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h, err := newAppHandler(dir)
	if err != nil {
		t.Fatal(err)
	}
	return page.Secure(h)
}

func TestPageAndStaticFilesCarryTheSecurityHeaders(t *testing.T) {
	h := frontEndIn(t)
	want := map[string]string{
		"X-Frame-Options":              "DENY",
		"X-Content-Type-Options":       "nosniff",
		"Referrer-Policy":              "no-referrer",
		"Cross-Origin-Opener-Policy":   "same-origin",
		"Cross-Origin-Resource-Policy": "same-origin",
	}
	csp := []string{"frame-ancestors 'none'", "script-src 'self' 'wasm-unsafe-eval'", "default-src 'none'"}
	tests := []struct {
		name, method, path, ctype string
		status                    int
	}{
		{"the page is HTML in UTF-8", "GET", "/", "text/html; charset=utf-8", 200},
		{"a HEAD of the page is HTML in UTF-8", "HEAD", "/", "text/html; charset=utf-8", 200},
		{"go-app's script is JavaScript", "GET", "/app.js", "application/javascript", 200},
		{"the service worker is JavaScript", "GET", "/app-worker.js", "application/javascript", 200},
		{"a static style sheet is CSS", "GET", "/web/app.css", "text/css; charset=utf-8", 200},
		{"the wasm is WebAssembly", "GET", "/web/app.wasm", "application/wasm", 200},
		{"a missing file is not found", "GET", "/web/missing.js", "text/plain; charset=utf-8", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			res := rec.Result()
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			if got := res.Header.Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type %q, want %q", got, tt.ctype)
			}
			for k, v := range want {
				if got := res.Header.Get(k); got != v {
					t.Errorf("%s %q, want %q", k, got, v)
				}
			}
			for _, part := range csp {
				if got := res.Header.Get("Content-Security-Policy"); !strings.Contains(got, part) {
					t.Errorf("Content-Security-Policy %q lacks %q", got, part)
				}
			}
		})
	}
}

func TestPageAndStaticFilesRefuseMethodsOtherThanGetAndHead(t *testing.T) {
	h := frontEndIn(t)
	for _, method := range []string{"POST", "PUT", "DELETE", "PATCH", "TRACE", "OPTIONS"} {
		for _, path := range []string{"/", "/web/app.css", "/web/app.wasm", "/app.js", "/web/"} {
			t.Run(method+" "+path+" is refused with 405 and Allow", func(t *testing.T) {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader("body")))
				res := rec.Result()
				if res.StatusCode != http.StatusMethodNotAllowed {
					t.Fatalf("status %d, want 405", res.StatusCode)
				}
				if got := res.Header.Get("Allow"); got != "GET, HEAD" {
					t.Errorf("Allow %q, want GET, HEAD", got)
				}
				if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, "application/json") {
					t.Errorf("Content-Type %q, want a JSON error", got)
				}
				if strings.Contains(rec.Body.String(), "body{}") || strings.Contains(rec.Body.String(), "<html") {
					t.Errorf("a refused %s answered the content: %q", method, rec.Body.String())
				}
			})
		}
	}
}
