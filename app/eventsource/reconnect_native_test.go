//go:build !(js && wasm)

package eventsource

import (
	"net/http"
	"testing"
	"time"
)

func TestReconnectResumesAtOnceFromTheLastEventID(t *testing.T) {
	srv := newScripted(t,
		func(w http.ResponseWriter, r *http.Request) {
			startStream(w, frames(1, 2))
			hold(r)
		},
		func(w http.ResponseWriter, r *http.Request) {
			startStream(w, frames(3, 3))
			hold(r)
		},
	)
	// A retry of an hour: only Reconnect can bring the second request in time.
	src, j := watch(t, srv.URL, WithRetry(time.Hour))
	j.expect(t, "open", "event 1 ", "event 2 ")
	srv.nextRequest(t)
	src.Reconnect()
	j.expect(t, "open", "event 3 ") // no error in between
	if got := srv.nextRequest(t).Header.Get("Last-Event-ID"); got != "2" {
		t.Errorf("the reconnect sent Last-Event-ID %q, want 2", got)
	}
	if !src.RetryAt().IsZero() {
		t.Errorf("RetryAt = %v after the reconnect, want zero", src.RetryAt())
	}
}

func TestReconnectCutsTheWaitAfterAFailure(t *testing.T) {
	srv := newScripted(t,
		func(w http.ResponseWriter, r *http.Request) {
			startStream(w, frames(1, 1))
			kill(t, w)
		},
		func(w http.ResponseWriter, r *http.Request) {
			startStream(w, frames(2, 2))
			hold(r)
		},
	)
	src, j := watch(t, srv.URL, WithRetry(time.Hour))
	j.expect(t, "open", "event 1 ", "error: eventsource: connection error")
	if src.RetryAt().IsZero() {
		t.Fatal("RetryAt is zero after a failure, want the time of the next attempt")
	}
	src.Reconnect()
	j.expect(t, "open", "event 2 ")
	srv.nextRequest(t)
	if got := srv.nextRequest(t).Header.Get("Last-Event-ID"); got != "1" {
		t.Errorf("the reconnect sent Last-Event-ID %q, want 1", got)
	}
}

func TestReconnectDoesNothingBeforeStartOrAfterClose(t *testing.T) {
	srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
		startStream(w, frames(1, 1))
		hold(r)
	})
	src, err := New(srv.URL, WithRetry(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	src.Reconnect()
	opened := make(chan struct{}, 10)
	src.OnOpen(func() { opened <- struct{}{} })
	src.Start()
	<-opened
	src.Close()
	src.Reconnect()
	waitDone(t, src)
	if n := srv.count(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
	if s := src.ReadyState(); s != StateClosed {
		t.Errorf("state %v, want closed", s)
	}
}
