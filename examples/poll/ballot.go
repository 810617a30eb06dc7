//go:build !(js && wasm)

package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"sync"

	"github.com/heraldhq/herald/examples/poll/events"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
)

// Policy is the poll's security.Authorizer. Anyone may read the poll's topic,
// and no other. Nobody may publish through POST /publish: votes go through
// POST /vote, whose handler publishes the tallies from Go, which no policy
// stands in the way of.
type Policy struct{}

// CanRead reports whether topic is the poll's.
func (Policy) CanRead(_ security.User, topic string) bool { return topic == events.Topic }

// CanPublish refuses everyone.
func (Policy) CanPublish(security.User, string, string) bool { return false }

// ballotBox counts the votes and publishes the tally after each one.
type ballotBox struct {
	srv   *server.Server
	mu    sync.Mutex
	tally events.Tally
}

// vote handles POST /vote with an events.Vote in JSON, {"option": "go"}: it
// counts the vote, publishes the new tally to events.Topic and answers the
// tally. An option that is not one of events.Options is refused with 400,
// answered, logged and counted by the server's Guard as its own refusals.
func (b *ballotBox) vote(w http.ResponseWriter, r *http.Request) error {
	var v events.Vote
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1024)).Decode(&v); err != nil || !slices.Contains(events.Options, v.Option) {
		return server.Refuse(http.StatusBadRequest, `vote: want {"option": one of %q}, not %.20q`, events.Options, v.Option)
	}
	b.mu.Lock() // held while publishing, so tallies go out in order
	b.tally.Votes[v.Option]++
	b.tally.Total++
	_, err := server.Publish(b.srv, events.Topic, events.TallyEvent, b.tally)
	b.mu.Unlock()
	if err != nil {
		return server.Refuse(http.StatusServiceUnavailable, "vote for %q: %v", v.Option, err)
	}
	b.current(w, r) // this vote's tally, or a later one
	return nil
}

// current handles GET /tally: the tally now, in JSON, for a page that
// starts or has missed events.
func (b *ballotBox) current(w http.ResponseWriter, _ *http.Request) {
	b.mu.Lock()
	defer b.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(b.tally)
}
