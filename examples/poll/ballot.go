//go:build !(js && wasm)

package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"

	"github.com/heraldhq/herald/examples/poll/events"
	"github.com/heraldhq/herald/server"
)

// ballotBox counts the votes and publishes the tally after each one.
type ballotBox struct {
	srv   *server.Server
	mu    sync.Mutex
	tally events.Tally
}

func newBallotBox(srv *server.Server) *ballotBox {
	return &ballotBox{srv: srv, tally: events.Tally{Votes: map[string]int{}}}
}

// vote handles POST /vote with the form value option=<one of
// events.Options>: it counts the vote and publishes the new tally to
// events.Topic. It answers 204, or 400 for an unknown option.
func (b *ballotBox) vote(w http.ResponseWriter, r *http.Request) {
	option := r.PostFormValue("option")
	if !slices.Contains(events.Options, option) {
		http.Error(w, fmt.Sprintf("vote: %q is not one of %q", option, events.Options), http.StatusBadRequest)
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock() // held while publishing, so tallies go out in order
	b.tally.Votes[option]++
	b.tally.Total++
	if _, err := server.Publish(b.srv, events.Topic, events.TallyEvent, b.tally); err != nil {
		http.Error(w, fmt.Sprintf("vote for %q: %v", option, err), http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// current handles GET /tally: the tally now, in JSON, for a page that
// starts or has missed events.
func (b *ballotBox) current(w http.ResponseWriter, _ *http.Request) {
	b.mu.Lock()
	defer b.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(b.tally)
}
