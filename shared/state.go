package shared

import "fmt"

// History is the history of some topics at one event id, as a server's
// GET /state answers it: the input of a Fold, and the id to resume the
// stream from (see FoldHistory).
type History struct {
	// ID is the id the events end at: a stream of the same topics resumed
	// from it (Last-Event-ID) gets every later event, once.
	ID string `json:"id"`
	// Since is "" when Events are every event of the topics the server
	// delivered since it started; otherwise the id of the newest event left
	// out, because the server's history is bounded: Events are then only
	// the events after it.
	Since string `json:"since,omitempty"`
	// Events are the events, oldest first.
	Events []HistoryEvent `json:"events"`
}

// HistoryEvent is one event of a History, as it came on the stream.
type HistoryEvent struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Data string `json:"data"`
}

// FoldHistory returns the state of f after h's events, and the id to resume
// the stream from. An event f has no step for is skipped; one whose data its
// type refuses is an error that names it.
func FoldHistory[S any](f *Fold[S], h History) (state S, id string, err error) {
	state = f.Initial()
	for _, e := range h.Events {
		if state, err = f.Apply(state, e.Type, []byte(e.Data)); err != nil {
			return state, "", fmt.Errorf("event %.24q: %w", e.ID, err)
		}
	}
	return state, h.ID, nil
}
