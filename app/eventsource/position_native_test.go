//go:build !(js && wasm)

package eventsource

import (
	"net/http"
	"testing"

	"github.com/heraldhq/herald/shared"
)

// TestThePositionEventSetsTheLastEventIDAndReachesNoOnAnyListener sends the
// stream's position as the server does, then cuts the stream: OnAny sees only
// the real event, and the reconnect resumes from the position.
func TestThePositionEventSetsTheLastEventIDAndReachesNoOnAnyListener(t *testing.T) {
	srv := newScripted(t,
		func(w http.ResponseWriter, r *http.Request) {
			startStream(w, "retry: 10\nevent: "+shared.PositionEvent+"\ndata:\nid: 7\n\n")
		},
		func(w http.ResponseWriter, r *http.Request) {
			startStream(w, "data: after\n\n")
			hold(r)
		},
	)
	src, j := watch(t, srv.URL)
	j.expect(t, "open", "error: eventsource: connection error", "open", "event 7 message after")
	srv.nextRequest(t)
	if got := srv.nextRequest(t).Header.Get("Last-Event-ID"); got != "7" {
		t.Errorf("the reconnect sent Last-Event-ID %q, want the 7 of the position event", got)
	}
	if id := src.LastEventID(); id != "7" {
		t.Errorf("last event ID %q, want 7", id)
	}
}
