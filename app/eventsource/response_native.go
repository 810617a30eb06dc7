//go:build !(js && wasm)

package eventsource

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// ResponseError reports a response that is not an event stream: a status
// other than 200 OK (204 No Content, the way a server tells clients to stop,
// among them) or a Content-Type other than text/event-stream. The Source does
// not reconnect after one: its ReadyState is StateClosed.
type ResponseError struct {
	URL         string // the URL that answered, after any redirects
	StatusCode  int
	Status      string // as http.Response.Status, such as "404 Not Found"
	ContentType string
	// Message is what the server said: the error of a JSON body
	// {"error": "..."}, or else the start of the body as text.
	Message string
}

// Error says what the server answered instead of an event stream.
func (e *ResponseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "eventsource: GET %s: ", e.URL)
	if e.StatusCode != http.StatusOK {
		fmt.Fprintf(&b, "status %s, not 200 OK", e.Status)
	} else {
		fmt.Fprintf(&b, "Content-Type %q, not text/event-stream", e.ContentType)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	return b.String()
}

// checkResponse returns a *ResponseError if resp is not an event stream.
func checkResponse(resp *http.Response) error {
	ct := resp.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if resp.StatusCode == http.StatusOK && err == nil && mt == "text/event-stream" {
		return nil
	}
	return &ResponseError{
		URL:         resp.Request.URL.String(),
		StatusCode:  resp.StatusCode,
		Status:      resp.Status,
		ContentType: ct,
		Message:     serverMessage(resp.Body),
	}
}

// maxMessage is how much of a refusal's body is read for its message.
const maxMessage = 512

// serverMessage returns the error of a JSON body {"error": "..."}, or else
// the start of the body on one line.
func serverMessage(body io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(body, maxMessage))
	var v struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(b, &v) == nil && v.Error != "" {
		return v.Error
	}
	s := strings.Join(strings.Fields(strings.ToValidUTF8(string(b), "\uFFFD")), " ")
	if len(b) == maxMessage {
		s += " …"
	}
	return s
}
