//go:build !(js && wasm)

package main

import (
	"net/http"
	"path"
	"strings"

	"github.com/heraldhq/herald/app/page"
)

// freshPages serves the pages of h, which carry the state of the stream at
// one event id, never as they were: a page is answered in full (go-app
// would answer 304 to the ETag of its build, and the browser would show the
// state of an earlier visit as current) and with Cache-Control: no-store.
// Files (a path whose last segment has an extension, or under /web/) keep
// go-app's caching.
func freshPages(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isPage(r.URL.Path) {
			h.ServeHTTP(w, r)
			return
		}
		r = r.Clone(r.Context())
		r.Header.Del("If-None-Match")
		r.Header.Del("If-Modified-Since")
		h.ServeHTTP(page.OnHeader(w, noStore), r)
	})
}

// isPage reports whether p names a page rather than a file.
func isPage(p string) bool {
	return !strings.HasPrefix(p, "/web/") && !strings.Contains(path.Base(p), ".")
}

// noStore makes a page's header one that no cache keeps: Cache-Control:
// no-store, without an ETag.
func noStore(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Del("ETag")
}
