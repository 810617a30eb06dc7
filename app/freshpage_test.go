//go:build !(js && wasm)

package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// etagged answers as go-app does: 304 to its ETag, else the body with
// Cache-Control: no-cache and the ETag.
var etagged = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", "v1")
	if r.Header.Get("If-None-Match") == "v1" {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write([]byte("body"))
})

func TestAPageIsNeverServedAsItWas(t *testing.T) {
	cases := []struct {
		name, path, cacheControl, etag string
		status                         int
	}{
		{"the page is answered in full, not stored", "/", "no-store", "", 200},
		{"a page of another route too", "/about", "no-store", "", 200},
		{"a script keeps its ETag", "/app.js", "no-cache", "v1", 304},
		{"a static file keeps its ETag", "/web/app", "no-cache", "v1", 304},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", c.path, nil)
			req.Header.Set("If-None-Match", "v1")
			rec := httptest.NewRecorder()
			freshPages(etagged).ServeHTTP(rec, req)
			if rec.Code != c.status || rec.Header().Get("Cache-Control") != c.cacheControl || rec.Header().Get("ETag") != c.etag {
				t.Errorf("%s: %d, Cache-Control %q, ETag %q; want %d, %q, %q", c.path, rec.Code,
					rec.Header().Get("Cache-Control"), rec.Header().Get("ETag"), c.status, c.cacheControl, c.etag)
			}
		})
	}
}
