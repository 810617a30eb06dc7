//go:build !(js && wasm)

package main

import (
	"log/slog"
	"net/http"
	"time"
)

// logRequests logs every request once it is answered: method, path, status
// and duration. It is the kind of middleware most programs already have; an
// event stream is logged when it ends.
func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		slog.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "took", time.Since(start))
	})
}

// statusRecorder remembers the status of an answer. Like most such wrappers
// it has neither Flush nor Unwrap: Herald streams through it all the same.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader records code and sends it.
func (rec *statusRecorder) WriteHeader(code int) {
	rec.status = code
	rec.ResponseWriter.WriteHeader(code)
}
