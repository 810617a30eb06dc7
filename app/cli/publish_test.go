//go:build !(js && wasm)

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/heraldhq/herald/app/events"
)

func publishCmd(ctx context.Context, args []string, stdout, stderr *bytes.Buffer) int {
	return Publish(ctx, args, strings.NewReader(""), stdout, stderr)
}

// publishRequest is the body publish must send.
type publishRequest struct {
	Topic string          `json:"topic"`
	Type  string          `json:"type"`
	Data  json.RawMessage `json:"data"`
}

func TestPublishSendsTheEvent(t *testing.T) {
	tests := []struct {
		name      string
		env       string // HERALD_PUBLISH_TOKEN
		args      []string
		wantToken string
	}{
		{name: "the token flag is sent as a bearer token", args: []string{"--token", "flag-token"}, wantToken: "flag-token"},
		{name: "the token comes from the environment without the flag", env: "env-token", wantToken: "env-token"},
		{name: "the token flag wins over the environment", env: "env-token", args: []string{"--token", "flag-token"}, wantToken: "flag-token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(tokenEnv, tc.env)
			var got atomic.Pointer[http.Request]
			var body publishRequest
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				dec := json.NewDecoder(r.Body)
				dec.DisallowUnknownFields()
				if err := dec.Decode(&body); err != nil {
					t.Errorf("body: %v", err)
				}
				got.Store(r)
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(`{"id":"42"}`))
			}))
			defer srv.Close()
			args := append([]string{"--topic", events.PublicTopic, "--type", "notification", "--data", `{"user":"a", "message":"b"}`, "--url", srv.URL}, tc.args...)
			code, stdout, stderr := run(t, publishCmd, args...)
			if code != 0 || stdout != "42\n" {
				t.Fatalf("exit %d, stdout %q, stderr:\n%s\nwant 0 and the id", code, stdout, stderr)
			}
			r := got.Load()
			if r.Method != http.MethodPost || r.URL.Path != "/publish" {
				t.Errorf("request %s %s, want POST /publish", r.Method, r.URL.Path)
			}
			if a, ct := r.Header.Get("Authorization"), r.Header.Get("Content-Type"); a != "Bearer "+tc.wantToken || ct != "application/json" {
				t.Errorf("Authorization %q, Content-Type %q; want Bearer %s and application/json", a, ct, tc.wantToken)
			}
			if body.Topic != "public" || body.Type != "notification" || string(body.Data) != `{"user":"a","message":"b"}` {
				t.Errorf("body %+v, want the topic, type and data as given", body)
			}
		})
	}
}

func TestPublishFails(t *testing.T) {
	tests := []struct {
		name       string
		handler    http.HandlerFunc // nil: nothing listens
		args       []string
		wantCode   int
		wantStderr string
	}{
		{name: "a refusal prints the server's error", handler: status(400, "application/json", `{"error":"unknown event type \"x\""}`), wantCode: 1, wantStderr: `the server answered 400 Bad Request: unknown event type "x"`},
		{name: "a wrong token prints the server's error", handler: status(401, "application/json", `{"error":"wrong publish token"}`), wantCode: 1, wantStderr: "401 Unauthorized: wrong publish token"},
		{name: "an answer that is not JSON is printed", handler: status(502, "text/html", "<h1>Bad gateway</h1>\n"), wantCode: 1, wantStderr: `502 Bad Gateway: "<h1>Bad gateway</h1>"`},
		{name: "a success without an id is a failure", handler: status(200, "application/json", `{}`), wantCode: 1, wantStderr: "the server answered 200 OK without an id"},
		{name: "no server is a failure", wantCode: 1, wantStderr: "connection refused"},
		{name: "a missing topic is a usage error", args: []string{"--type", "t", "--data", "{}"}, wantCode: 2, wantStderr: "--topic, --type and --data are required"},
		{name: "data that is not JSON is a usage error", args: []string{"--topic", "a", "--type", "t", "--data", "{nope"}, wantCode: 2, wantStderr: `--data "{nope" is not valid JSON`},
		{name: "an argument is a usage error", args: []string{"--topic", "a", "--type", "t", "--data", "1", "extra"}, wantCode: 2, wantStderr: `unexpected argument "extra"`},
		{name: "flags of one event with - are a usage error", args: []string{"-", "--topic", "a"}, wantCode: 2, wantStderr: "--topic, --type and --data go in each line"},
		{name: "an argument after - is a usage error", args: []string{"-", "extra"}, wantCode: 2, wantStderr: `unexpected argument "extra"`},
		{name: "a flush-after of zero is a usage error", args: []string{"-", "--flush-after", "0s"}, wantCode: 2, wantStderr: "--flush-after 0s is not positive"},
		{name: "a URL of another scheme is a usage error", args: []string{"--topic", "a", "--type", "t", "--data", "1", "--url", "ftp://h"}, wantCode: 2, wantStderr: `--url "ftp://h" is not an http or https URL`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url := "http://127.0.0.1:1"
			var requests atomic.Int32
			if tc.handler != nil {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					requests.Add(1)
					tc.handler(w, r)
				}))
				defer srv.Close()
				url = srv.URL
			}
			args := tc.args
			if args == nil {
				args = []string{"--topic", "a", "--type", "t", "--data", "{}"}
			}
			if !slices.Contains(args, "--url") {
				args = append(args, "--url", url)
			}
			code, stdout, stderr := run(t, publishCmd, args...)
			if code != tc.wantCode || !strings.Contains(stderr, tc.wantStderr) || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant %d, nothing and %q", code, stdout, stderr, tc.wantCode, tc.wantStderr)
			}
			if tc.wantCode == 2 && requests.Load() != 0 {
				t.Errorf("a usage error sent %d requests", requests.Load())
			}
		})
	}
}
