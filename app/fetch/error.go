package fetch

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Error is an answer whose status is not a 2xx.
type Error struct {
	Method string // the request's method, such as "POST"
	URL    string // the request's URL, as given to JSON
	Status int    // the answer's status code, such as 403
	// Message is what the server said: the error of a JSON body
	// {"error": "..."}, as Herald's API answers, or the first line of a
	// text/plain body, as http.Error writes, or else the status text.
	Message string
}

// Error says which request failed, with which status, and why.
func (e *Error) Error() string {
	return fmt.Sprintf("fetch: %s %s: status %d: %s", e.Method, e.URL, e.Status, e.Message)
}

// maxMessage is the most bytes of a text/plain body that a Message keeps.
const maxMessage = 200

// message returns the Message of an answer that is not a 2xx.
func message(a answer) string {
	var v struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(a.body, &v) == nil && v.Error != "" {
		return v.Error
	}
	if strings.HasPrefix(a.contentType, "text/plain") {
		line, _, _ := strings.Cut(strings.TrimSpace(string(a.body)), "\n")
		if line = strings.ToValidUTF8(line[:min(len(line), maxMessage)], ""); line != "" {
			return line
		}
	}
	if a.statusText != "" {
		return a.statusText
	}
	return "no message"
}
