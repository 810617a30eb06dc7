package server_test

import (
	"strings"
	"testing"

	"github.com/heraldhq/herald/shared"
)

// cutPosition reports whether frame ends with the herald.position event as
// the server sends the stream's position: the event type, an empty data line
// and the id, which it returns. The lines before the event (the retry of a
// stream's first frame) are returned as rest.
func cutPosition(frame []string) (rest []string, id string, ok bool) {
	n := len(frame)
	if n < 3 || frame[n-3] != "event: "+shared.PositionEvent || frame[n-2] != "data:" {
		return frame, "", false
	}
	id, ok = strings.CutPrefix(frame[n-1], "id: ")
	return frame[:n-3], id, ok && id != ""
}

// checkStart checks that frame is the first frame of a stream that missed
// nothing: a retry and the herald.position event. It returns the position.
func checkStart(t testing.TB, frame []string) string {
	t.Helper()
	rest, id, ok := cutPosition(frame)
	if !ok || len(rest) != 1 || !strings.HasPrefix(rest[0], "retry: ") {
		t.Fatalf("first frame = %q, want a retry and the herald.position event", frame)
	}
	return id
}

// checkRetryOnly checks that frame is a retry alone: the first frame of a
// stream that resumes after events it missed, which gets its position after
// the replay.
func checkRetryOnly(t testing.TB, frame []string) {
	t.Helper()
	if len(frame) != 1 || !strings.HasPrefix(frame[0], "retry: ") {
		t.Fatalf("frame = %q, want a retry alone", frame)
	}
}

// start reads the first frame of a stream that missed nothing and returns
// the stream's position.
func (s *stream) start() string {
	s.t.Helper()
	return checkStart(s.t, s.next())
}

// startResumed reads the first frame of a stream that resumes after events
// it missed: a retry alone.
func (s *stream) startResumed() {
	s.t.Helper()
	checkRetryOnly(s.t, s.next())
}
