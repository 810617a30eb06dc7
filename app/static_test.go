//go:build !(js && wasm)

package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStaticDirSendsThePrecompressedTwinTheRequestAccepts(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string, mod time.Time) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	built := time.Now().Add(-time.Hour)
	write("app.wasm", "raw wasm", built)
	write("app.wasm.br", "brotli wasm", built)
	write("app.wasm.gz", "gzip wasm", built)
	write("app.css", "body{}", built)
	write("old.js", "new script", built)
	write("old.js.br", "stale brotli", built.Add(-time.Minute))

	tests := []struct {
		name, path, accept    string
		body, encoding, ctype string
		varies                bool
	}{
		{"brotli is preferred when both are accepted", "/web/app.wasm", "gzip, deflate, br, zstd", "brotli wasm", "br", "application/wasm", true},
		{"gzip is sent to a browser without brotli", "/web/app.wasm", "gzip, deflate", "gzip wasm", "gzip", "application/wasm", true},
		{"a refused brotli falls back to gzip", "/web/app.wasm", "br;q=0, gzip;q=0.5", "gzip wasm", "gzip", "application/wasm", true},
		{"a star accepts brotli", "/web/app.wasm", "*", "brotli wasm", "br", "application/wasm", true},
		{"no Accept-Encoding gets the file itself", "/web/app.wasm", "", "raw wasm", "", "application/wasm", true},
		{"identity only gets the file itself", "/web/app.wasm", "identity, *;q=0", "raw wasm", "", "application/wasm", true},
		{"a file without twins is sent as is", "/web/app.css", "br, gzip", "body{}", "", "text/css; charset=utf-8", false},
		{"a twin older than its file is ignored", "/web/old.js", "br", "new script", "", "text/javascript; charset=utf-8", false},
	}
	h := newStaticDir(dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tt.path, nil)
			if tt.accept != "" {
				req.Header.Set("Accept-Encoding", tt.accept)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			res := rec.Result()
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200", res.StatusCode)
			}
			if got := rec.Body.String(); got != tt.body {
				t.Errorf("body %q, want %q", got, tt.body)
			}
			if got := res.Header.Get("Content-Encoding"); got != tt.encoding {
				t.Errorf("Content-Encoding %q, want %q", got, tt.encoding)
			}
			if got := res.Header.Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type %q, want %q", got, tt.ctype)
			}
			if got := res.Header.Get("Vary") == "Accept-Encoding"; got != tt.varies {
				t.Errorf("Vary %q, want Accept-Encoding: %v", res.Header.Get("Vary"), tt.varies)
			}
		})
	}
}

func TestAcceptsReadsQualities(t *testing.T) {
	tests := []struct {
		header, coding string
		want           bool
	}{
		{"br", "br", true},
		{"BR", "br", true},
		{"gzip, br;q=0", "br", false},
		{"gzip, br;q=0.1", "br", true},
		{"*;q=0, gzip", "br", false},
		{"*;q=0, br", "br", true},
		{"br;q=x", "br", false},
		{"brotli", "br", false},
		{"", "gzip", false},
	}
	for _, tt := range tests {
		if got := accepts(tt.header, tt.coding); got != tt.want {
			t.Errorf("accepts(%q, %q) = %v, want %v", tt.header, tt.coding, got, tt.want)
		}
	}
}

func TestStaticDirServesFilesOnlyAndOneRangeAtMost(t *testing.T) {
	dir := t.TempDir()
	content := strings.Repeat("0123456789", 100)
	if err := os.WriteFile(filepath.Join(dir, "big.bin"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sub", "secret-name.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, path, rng string
		status                  int
		body                    string
	}{
		{"the directory is not listed", "GET", "/web/", "", 404, ""},
		{"a subdirectory is not listed", "GET", "/web/sub/", "", 404, ""},
		{"a subdirectory without its slash is not listed", "GET", "/web/sub", "", 404, ""},
		{"a file in a subdirectory is served", "GET", "/web/sub/secret-name.txt", "", 200, "x"},
		{"one range gets that range", "GET", "/web/big.bin", "bytes=10-19", 206, content[10:20]},
		{"a suffix range gets the end", "GET", "/web/big.bin", "bytes=-5", 206, content[995:]},
		{"several ranges get the whole file once", "GET", "/web/big.bin", "bytes=0-0,2-2,4-4,6-6", 200, content},
		{"a HEAD gets no body", "HEAD", "/web/big.bin", "", 200, ""},
		{"a POST is refused", "POST", "/web/big.bin", "", 405, `{"error":"only GET and HEAD are allowed on the page and static files"}` + "\n"},
		{"a PUT is refused", "PUT", "/web/big.bin", "", 405, `{"error":"only GET and HEAD are allowed on the page and static files"}` + "\n"},
	}
	h := newStaticDir(dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			if tt.rng != "" {
				req.Header.Set("Range", tt.rng)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d; body %q", rec.Code, tt.status, rec.Body.String())
			}
			if strings.Contains(rec.Body.String(), "secret-name") {
				t.Errorf("the answer lists the directory: %q", rec.Body.String())
			}
			if tt.status != 404 && rec.Body.String() != tt.body {
				t.Errorf("body of %d bytes, want %d bytes", rec.Body.Len(), len(tt.body))
			}
			if ct := rec.Header().Get("Content-Type"); strings.HasPrefix(ct, "multipart/") {
				t.Errorf("Content-Type %q: a multipart answer", ct)
			}
		})
	}
}
