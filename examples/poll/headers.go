//go:build !(js && wasm)

package main

import "net/http"

// withPageHeaders serves the page h with the headers a security review
// expects: a Content-Security-Policy that go-app's page runs under (its own
// origin only, 'wasm-unsafe-eval' to compile app.wasm, no frame may hold
// it), and nosniff, no referrer, no shared window or embedding.
func withPageHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}
