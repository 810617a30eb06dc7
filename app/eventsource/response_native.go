//go:build !(js && wasm)

package eventsource

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
)

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
