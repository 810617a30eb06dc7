//go:build !(js && wasm)

package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// item is the JSON the tests send and receive.
type item struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// echo answers status with the request's method, Content-Type and body,
// decoded as an item, in an item: {"name": "POST application/json ann",
// "count": <the body's count>}.
func echo(status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in item
		b, _ := io.ReadAll(r.Body)
		if len(b) > 0 {
			if err := json.Unmarshal(b, &in); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		name := strings.TrimSpace(r.Method + " " + r.Header.Get("Content-Type") + " " + in.Name)
		fmt.Fprintf(w, `{"name": %q, "count": %d}`, name, in.Count)
	}
}

// answerWith answers status, with body of type contentType unless body is "".
func answerWith(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		if body != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func TestJSONSendsTheBodyAndDecodesTheAnswer(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		method  string
		body    any
		out     *item // nil: JSON gets a nil out
		want    item
	}{
		{"a GET without a body decodes the 200 answer", echo(200), "GET", nil, &item{}, item{Name: "GET"}},
		{"a POST sends its body as JSON and decodes the 201 answer", echo(201), "POST", item{Name: "ann", Count: 3}, &item{}, item{Name: "POST application/json ann", Count: 3}},
		{"an answer is ignored when out is nil", echo(200), "DELETE", nil, nil, item{}},
		{"a 204 leaves out as it was", answerWith(204, "", ""), "DELETE", nil, &item{Name: "kept"}, item{Name: "kept"}},
		{"an empty 200 leaves out as it was", answerWith(200, "application/json", " \n"), "GET", nil, &item{Name: "kept"}, item{Name: "kept"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(tt.handler)
			defer ts.Close()
			var out any
			if tt.out != nil {
				out = tt.out
			}
			if err := JSON(testContext(t), tt.method, ts.URL+"/items", tt.body, out); err != nil {
				t.Fatalf("JSON(%s, %+v) = %v", tt.method, tt.body, err)
			}
			if tt.out != nil && *tt.out != tt.want {
				t.Fatalf("JSON(%s, %+v) decoded %+v, want %+v", tt.method, tt.body, *tt.out, tt.want)
			}
		})
	}
}

func TestJSONReturnsAnErrorWithTheServersMessage(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    Error
	}{
		{"a 403 with Herald's JSON error has its message", answerWith(403, "application/json", `{"error": "user ann may not publish to topic public"}`),
			Error{Status: 403, Message: "user ann may not publish to topic public"}},
		{"a 400 from http.Error has its first line", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "option \"cobol\" is unknown\nmore", 400) },
			Error{Status: 400, Message: `option "cobol" is unknown`}},
		{"a 502 with an HTML page has the status text", answerWith(502, "text/html", "<h1>Bad gateway</h1>"),
			Error{Status: 502, Message: "Bad Gateway"}},
		{"a 401 without a body has the status text", answerWith(401, "", ""),
			Error{Status: 401, Message: "Unauthorized"}},
		{"a 599 has a message all the same", answerWith(599, "", ""),
			Error{Status: 599, Message: "no message"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(tt.handler)
			defer ts.Close()
			var out item
			err := JSON(testContext(t), "POST", ts.URL+"/publish", item{Name: "ann"}, &out)
			var got *Error
			if !errors.As(err, &got) {
				t.Fatalf("JSON = %v, want an *Error", err)
			}
			tt.want.Method, tt.want.URL = "POST", ts.URL+"/publish"
			if *got != tt.want {
				t.Fatalf("JSON = %#v, want %#v", *got, tt.want)
			}
			if msg := got.Error(); !strings.Contains(msg, tt.want.URL) || !strings.Contains(msg, tt.want.Message) {
				t.Fatalf("Error() = %q, which does not name the URL and the message", msg)
			}
		})
	}
}

func TestJSONFailsWithoutAnAnswerItCanUse(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/bad":
			answerWith(200, "application/json", `{"name": `)(w, r)
		case "/huge":
			w.Write([]byte(`"`))
			w.Write(make([]byte, MaxAnswer))
		default:
			echo(200)(w, r)
		}
	}))
	defer ts.Close()
	tests := []struct {
		name string
		url  string
		body any
		want string // in the error
	}{
		{"a 2xx answer that is not JSON is an error", ts.URL + "/bad", nil, "decode the answer"},
		{"an answer over MaxAnswer is an error", ts.URL + "/huge", nil, "over"},
		{"a relative URL is refused", "/items", nil, "must be absolute"},
		{"a URL that does not parse is refused", "http://[::1", nil, "[::1"},
		{"a body that cannot be JSON is refused", ts.URL + "/items", make(chan int), "encode the body"},
		{"a server that is not there is an error", "http://127.0.0.1:1/items", nil, "127.0.0.1:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out item
			err := JSON(testContext(t), "POST", tt.url, tt.body, &out)
			var e *Error
			if err == nil || errors.As(err, &e) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("JSON(POST %s) = %v, want an error that says %q", tt.url, err, tt.want)
			}
		})
	}
}

func TestJSONStopsWhenTheContextIsDone(t *testing.T) {
	arrived := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer ts.Close()
	ctx, cancel := context.WithCancel(testContext(t))
	go func() {
		<-arrived
		cancel()
	}()
	start := time.Now()
	err := JSON(ctx, "GET", ts.URL+"/slow", nil, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("JSON with a cancelled context = %v, want context.Canceled", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("JSON returned %v after its context was cancelled", took)
	}
}

// testContext bounds a test's requests.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
