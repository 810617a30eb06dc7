package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// readBody reads r's body up to limit bytes. A larger body is answered 413, a
// failed read 400, both naming what the body is for, and ok is false.
func readBody(w http.ResponseWriter, r *http.Request, limit int64, what string) (body []byte, ok bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err == nil {
		return body, true
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("%s body is over %d bytes", what, tooBig.Limit))
	} else {
		writeError(w, http.StatusBadRequest, "read "+what+" body: "+err.Error())
	}
	return nil, false
}
