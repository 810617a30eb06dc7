package fetch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
)

// MaxAnswer is the largest answer body JSON reads, in bytes; a longer one is
// an error.
const MaxAnswer = 16 << 20

// answer is what the server answered.
type answer struct {
	status      int
	statusText  string // such as "Not Found", or "" when unknown
	contentType string
	body        []byte
}

// JSON sends a request with the given method to url and decodes the answer.
//
// Unless body is nil, it is encoded as JSON and sent with Content-Type
// application/json. An answer with a 2xx status is decoded into out, which
// must then be a pointer, unless out is nil or the answer is empty (such as a
// 204 No Content). Any other status is an *Error, which holds the server's
// message. JSON stops waiting, with an error that wraps ctx.Err(), when ctx
// is done.
//
// In the browser it blocks until the answer has come: see the package
// documentation for where to call it from.
func JSON(ctx context.Context, method, url string, body, out any) error {
	var payload []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("fetch: %s %s: encode the body: %w", method, url, err)
		}
		payload = b
	}
	a, err := send(ctx, method, url, payload)
	if err != nil {
		return fmt.Errorf("fetch: %s %s: %w", method, url, err)
	}
	if len(a.body) > MaxAnswer {
		return fmt.Errorf("fetch: %s %s: the answer is over %d bytes", method, url, MaxAnswer)
	}
	if a.status < 200 || a.status > 299 {
		return &Error{Method: method, URL: url, Status: a.status, Message: message(a)}
	}
	if out == nil || len(bytes.TrimSpace(a.body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(a.body, out); err != nil {
		return fmt.Errorf("fetch: %s %s: decode the answer (status %d): %w", method, url, a.status, err)
	}
	return nil
}
