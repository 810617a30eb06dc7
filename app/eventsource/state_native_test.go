//go:build !(js && wasm)

package eventsource

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/heraldhq/herald/shared"
)

func TestTheStateOfAStreamIsAskedBesideIt(t *testing.T) {
	cases := []struct{ name, stream, want string }{
		{"at the root", "http://h/events?topic=logs", "http://h/state?topic=logs"},
		{"under a prefix", "https://h/api/events?topic=a&topic=b", "https://h/api/state?topic=a&topic=b"},
		{"without the id to resume from", "http://h/events?topic=logs&lastEventId=7", "http://h/state?topic=logs"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got, err := StateURL(c.stream); got != c.want || err != nil {
				t.Errorf("StateURL(%q) = %q, %v; want %q", c.stream, got, err, c.want)
			}
		})
	}
}

type line struct {
	Text string `json:"text"`
}

var lineEvent = shared.Define[line]("log")

var count = shared.MustFold(nil, shared.On(lineEvent, func(n int, _ line) int { return n + 1 }))

func TestFetchStateSaysWhatFailed(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		wantErr string
	}{
		{"a refusal says the server's words", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":"sign in to read topic \"user/ann\""}`))
		}, `sign in to read topic`},
		{"an answer that is not a state", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`<html>`))
		}, "read the state"},
		{"an event its type refuses", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"id":"2","events":[{"id":"2","type":"log","data":"{\"text\":2}"}]}`))
		}, `event "2"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := newScripted(t, c.handler)
			_, _, err := FetchState(context.Background(), srv.URL+"/events?topic=logs", count)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("error %v, want one with %q", err, c.wantErr)
			}
		})
	}
}

func TestFetchStateSendsTheHeadersOfItsOptions(t *testing.T) {
	srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"id":"9","events":[{"id":"8","type":"log","data":"{\"text\":\"a\"}"},{"id":"9","type":"other","data":"x"}]}`))
	})
	n, id, err := FetchState(context.Background(), srv.URL+"/events?topic=logs", count, WithHeader("Authorization", "Bearer t"))
	if err != nil || n != 1 || id != "9" {
		t.Errorf("state %d at %q, %v; want 1 line at 9", n, id, err)
	}
	req := srv.nextRequest(t)
	if req.URL.Path != "/state" || req.Header.Get("Authorization") != "Bearer t" {
		t.Errorf("request %s with Authorization %q, want /state with the header", req.URL, req.Header.Get("Authorization"))
	}
}
