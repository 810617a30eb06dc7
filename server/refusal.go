package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"
)

// refuseReason is why a request was refused, as Stats and the metrics count
// it.
type refuseReason int

const (
	refusedAuth        refuseReason = iota // no credentials, or not the rights
	refusedOrigin                          // a browser page on another origin
	refusedLimit                           // over a connection or rate limit
	refusedBadInput                        // malformed or oversized
	refusedUnavailable                     // the broker cannot be reached
	refusedDraining                        // the server shuts down
	refusedInternal                        // the server failed
	refuseReasons
)

// refusal is an error a handler returns for a request it refuses: the status
// to answer, why in words for the client and the log, the reason it is
// counted under and, for a client that may try again, when.
type refusal struct {
	status int
	reason refuseReason
	msg    string
	retry  time.Duration // sent as Retry-After when set
}

func (e *refusal) Error() string { return e.msg }

// refuse returns the refusal of a request with status, for reason. The
// message is cut to maxRefusalMessage bytes.
func refuse(status int, reason refuseReason, format string, args ...any) *refusal {
	return &refusal{status: status, reason: reason, msg: clip(fmt.Sprintf(format, args...))}
}

// badInput returns the 400 refusal of malformed input, which err describes,
// cut to maxRefusalMessage bytes.
func badInput(err error) *refusal {
	return &refusal{status: http.StatusBadRequest, reason: refusedBadInput, msg: clip(err.Error())}
}

// maxRefusalMessage bounds the message of a refusal, so that an answer
// never echoes more than a short part of the client's input, however the
// message quotes it.
const maxRefusalMessage = 300

// clip returns msg cut to maxRefusalMessage bytes at a character boundary,
// marked when cut.
func clip(msg string) string {
	if len(msg) <= maxRefusalMessage {
		return msg
	}
	cut := maxRefusalMessage
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut] + "…"
}

// later returns r with a Retry-After of d.
func (e *refusal) later(d time.Duration) *refusal {
	e.retry = d
	return e
}

// asRefusal returns err as a refusal: a refusal itself, or a 500.
func asRefusal(err error) *refusal {
	var r *refusal
	if errors.As(err, &r) {
		return r
	}
	return refuse(http.StatusInternalServerError, refusedInternal, "internal error: %v", err)
}

// errorBody is the JSON body of every error answer.
type errorBody struct {
	Error string `json:"error"`
}

// writeRefusal answers a refused request: its status, Retry-After when it
// has one, and a JSON body that says what failed.
func writeRefusal(w http.ResponseWriter, r *refusal) {
	if r.retry > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(r.retry.Seconds()))))
	}
	writeJSON(w, r.status, errorBody{Error: r.msg})
}

// writeJSON answers with status and v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// readBody reads r's body up to limit bytes. A larger body is refused with
// 413, a failed read with 400, both naming what the body is for.
func readBody(w http.ResponseWriter, r *http.Request, limit int64, what string) ([]byte, error) {
	body, err := readAll(http.MaxBytesReader(w, r.Body, limit), min(r.ContentLength, limit, maxBodyAhead))
	if err == nil {
		return body, nil
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, refuse(http.StatusRequestEntityTooLarge, refusedBadInput, "%s body is over %d bytes", what, tooBig.Limit)
	}
	return nil, refuse(http.StatusBadRequest, refusedBadInput, "read %s body: %v", what, err)
}

// maxBodyAhead is the most bytes allocated for a body before they arrive,
// whatever size it announces.
const maxBodyAhead = 64 << 10

// readAll reads r to its end into a buffer sized for the size bytes it
// announces (none when negative), so that a body of the size it announces
// is read without growing the buffer.
func readAll(r io.Reader, size int64) ([]byte, error) {
	b := make([]byte, 0, max(size, 0)+1)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}
