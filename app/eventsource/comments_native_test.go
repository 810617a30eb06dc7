//go:build !(js && wasm)

package eventsource

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/heraldhq/herald/shared/sse"
)

func TestOnCommentSeesCommentsAndHeartbeatsInStreamOrder(t *testing.T) {
	srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
		startStream(w, ": hello\n\n"+frames(1, 1)+":\n: "+strings.Repeat("x", 100)+"\n: bye\n\n")
		hold(r)
	})
	seen := &journal{ch: make(chan string, 100)}
	watchWith(t, srv.URL, func(src *Source) {
		src.OnComment(func(text string) { seen.ch <- "comment " + text })
		src.OnAny(func(e sse.Event) { seen.ch <- fmt.Sprintf("event %s", e.ID) })
	}, WithMaxEventSize(50))
	// The comment over the limit of 50 bytes is dropped.
	for i, want := range []string{"comment hello", "event 1", "comment ", "comment bye"} {
		if got := seen.next(t); got != want {
			t.Errorf("entry %d: %q, want %q", i, got, want)
		}
	}
}
