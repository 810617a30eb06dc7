package server

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// errorBody is the JSON body of every error answer.
type errorBody struct {
	Error string `json:"error"`
}

// writeError answers with status and a JSON body that says what failed.
func writeError(w http.ResponseWriter, status int, msg string) {
	noteRefusal(w, msg)
	writeJSON(w, status, errorBody{Error: msg})
}

// writeBusy answers with status (429 or 503) and a Retry-After header.
func writeBusy(w http.ResponseWriter, status int, retry time.Duration, msg string) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(retry.Seconds()))))
	writeError(w, status, msg)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
