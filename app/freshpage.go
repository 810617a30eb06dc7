//go:build !(js && wasm)

package main

import (
	"net/http"
	"path"
	"strings"
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
		h.ServeHTTP(&noStoreWriter{ResponseWriter: w}, r)
	})
}

// isPage reports whether p names a page rather than a file.
func isPage(p string) bool {
	return !strings.HasPrefix(p, "/web/") && !strings.Contains(path.Base(p), ".")
}

// noStoreWriter replaces the caching headers of a page when they are
// written.
type noStoreWriter struct {
	http.ResponseWriter
	wrote bool
}

// WriteHeader sets Cache-Control: no-store, without an ETag, then writes
// the header.
func (n *noStoreWriter) WriteHeader(status int) {
	if !n.wrote {
		n.wrote = true
		n.Header().Set("Cache-Control", "no-store")
		n.Header().Del("ETag")
	}
	n.ResponseWriter.WriteHeader(status)
}

// Write writes the header first if it was not written.
func (n *noStoreWriter) Write(b []byte) (int, error) {
	if !n.wrote {
		n.WriteHeader(http.StatusOK)
	}
	return n.ResponseWriter.Write(b)
}

// Unwrap returns the ResponseWriter, for http.ResponseController.
func (n *noStoreWriter) Unwrap() http.ResponseWriter { return n.ResponseWriter }
