package e2e

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// The binary's static files: no listing, no amplified ranges, nothing but
// GET and HEAD, each with nosniff.
func TestStaticFilesAreNotListedAmplifiedOrWritten(t *testing.T) {
	in := startHerald(t, "-demo=false")
	var ranges []string
	for i := range 1000 {
		ranges = append(ranges, fmt.Sprintf("%d-%d", i*2, i*2))
	}
	many := "bytes=" + strings.Join(ranges, ",")
	tests := []struct {
		name, method, path, rng string
		status                  int
		maxBody                 int64
	}{
		{"the web directory is not listed", "GET", "/web/", "", 404, 100},
		{"a thousand one-byte ranges of the wasm are not sent as a thousand parts", "GET", "/web/app.wasm", many, 200, -1},
		{"one range of the wasm is sent alone", "GET", "/web/app.wasm", "bytes=0-99", 206, 100},
		{"a HEAD of the wasm has no body", "HEAD", "/web/app.wasm", "", 200, 0},
		{"TRACE on the page is refused", "TRACE", "/", "", 405, 200},
		{"PUT on the page is refused", "PUT", "/", "", 405, 200},
		{"POST on the page is refused", "POST", "/", "", 405, 200},
		{"POST on a static file is refused", "POST", "/web/app.css", "", 405, 200},
		{"DELETE on the wasm is refused", "DELETE", "/web/app.wasm", "", 405, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, in.URL+tt.path, nil)
			req.Header.Set("Accept-Encoding", "identity")
			if tt.rng != "" {
				req.Header.Set("Range", tt.rng)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			n, _ := io.Copy(io.Discard, res.Body)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			if tt.maxBody >= 0 && n > tt.maxBody {
				t.Errorf("body of %d bytes, want %d at most", n, tt.maxBody)
			}
			if ct := res.Header.Get("Content-Type"); strings.HasPrefix(ct, "multipart/") {
				t.Errorf("Content-Type %q: a multipart answer", ct)
			}
			if res.ContentLength > 0 && tt.status == 200 && tt.method == "GET" && n != res.ContentLength {
				t.Errorf("sent %d bytes of %d", n, res.ContentLength)
			}
			if tt.status == 405 && res.Header.Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow %q, want GET, HEAD", res.Header.Get("Allow"))
			}
			if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q, want nosniff", got)
			}
		})
	}
}
