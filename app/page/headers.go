// Package page serves a go-app page and its static files with the headers a
// security review expects: a Content-Security-Policy that go-app's page runs
// under, no framing, nosniff, no referrer, no shared window or embedding, a
// charset on the HTML; and only GET and HEAD.
//
//	mux.Handle("/", page.Secure(&app.Handler{Name: "My app", …}))
package page

import (
	"io"
	"net/http"
	"strings"
)

// CSP is the Content-Security-Policy of the page and of every static
// file. go-app's page loads only its own scripts, styles, images, manifest
// and service worker, with no inline script or style, and compiles
// app.wasm, which needs 'wasm-unsafe-eval' (but not 'unsafe-eval'). The page
// may be framed by no one.
const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
	"img-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// pageHeaders are the security headers of every answer of the front end.
var pageHeaders = map[string]string{
	"Content-Security-Policy":      CSP,
	"X-Frame-Options":              "DENY",
	"X-Content-Type-Options":       "nosniff",
	"Referrer-Policy":              "no-referrer",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
}

// readMethods are the methods the page and the static files answer.
const readMethods = "GET, HEAD"

// Secure serves the front end h with the headers of the package doc, a charset on its
// HTML, and only for GET and HEAD: any other method gets 405 with Allow.
func Secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range pageHeaders {
			w.Header().Set(k, v)
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			RefuseMethod(w)
			return
		}
		h.ServeHTTP(OnHeader(w, setCharset), r)
	})
}

// RefuseMethod answers 405 to a method other than GET and HEAD, with Allow
// and the JSON error body of the API's refusals.
func RefuseMethod(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Allow", readMethods)
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusMethodNotAllowed)
	w.Write([]byte(`{"error":"only GET and HEAD are allowed on the page and static files"}` + "\n"))
}

// OnHeader returns a ResponseWriter that writes through w and calls edit
// with the header once, just before it is written: to change what the
// handler set, such as its caching or its Content-Type.
func OnHeader(w http.ResponseWriter, edit func(http.Header)) http.ResponseWriter {
	return &headerWriter{ResponseWriter: w, edit: edit}
}

// setCharset adds charset=utf-8 to an HTML Content-Type that has no
// charset, as go-app's page has.
func setCharset(h http.Header) {
	if ct := h.Get("Content-Type"); strings.EqualFold(strings.TrimSpace(ct), "text/html") {
		h.Set("Content-Type", "text/html; charset=utf-8")
	}
}

// headerWriter calls edit with the header once, before it is written.
type headerWriter struct {
	http.ResponseWriter
	edit  func(http.Header)
	wrote bool
}

// WriteHeader edits the header, then writes it.
func (hw *headerWriter) WriteHeader(status int) {
	if !hw.wrote {
		hw.wrote = true
		hw.edit(hw.Header())
	}
	hw.ResponseWriter.WriteHeader(status)
}

// Write writes the header first if it was not written.
func (hw *headerWriter) Write(b []byte) (int, error) {
	if !hw.wrote {
		hw.WriteHeader(http.StatusOK)
	}
	return hw.ResponseWriter.Write(b)
}

// ReadFrom copies r to the response, by the ResponseWriter's own ReadFrom
// (sendfile) when it has one.
func (hw *headerWriter) ReadFrom(r io.Reader) (int64, error) {
	if !hw.wrote {
		hw.WriteHeader(http.StatusOK)
	}
	return io.Copy(hw.ResponseWriter, r)
}

// Unwrap returns the ResponseWriter, for http.ResponseController.
func (hw *headerWriter) Unwrap() http.ResponseWriter { return hw.ResponseWriter }
