package eventsource

import (
	"sync"

	"github.com/heraldhq/herald/shared"
)

// OnFold continues fold with the events of its types that src receives: for
// each, fn gets the change it makes to the state, to apply where the state
// lives (change(state) returns the next state). Data that does not decode is
// reported to the OnError listeners instead. Start the state from the one
// the server computed at an id (FetchState natively, or the page's
// prerendered state) and open src WithLastEventID of that id: every event
// after it comes once. The returned function removes the listeners.
func OnFold[S any](src *Source, fold *shared.Fold[S], fn func(change func(S) S)) (remove func()) {
	var removes []func()
	for _, t := range fold.Types() {
		removes = append(removes, src.addListener(t, func(m message) {
			change, _, err := fold.Change(m.typ, []byte(m.data))
			if err != nil {
				src.reportError(&DecodeError{Type: m.typ, ID: m.id, Err: err})
				return
			}
			fn(change)
		}))
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			for _, r := range removes {
				r()
			}
		})
	}
}
