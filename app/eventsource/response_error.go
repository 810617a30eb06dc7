package eventsource

import (
	"fmt"
	"strings"
)

// ResponseError reports a response that is not an event stream: a status
// other than 200 OK (204 No Content, the way a server tells clients to stop,
// among them) or a Content-Type other than text/event-stream. The Source does
// not reconnect after one: its ReadyState is StateClosed. Only a native Source
// sees the response; the browser's EventSource hides it.
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
	if e.StatusCode != 200 {
		fmt.Fprintf(&b, "status %s, not 200 OK", e.Status)
	} else {
		fmt.Fprintf(&b, "Content-Type %q, not text/event-stream", e.ContentType)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	return b.String()
}
