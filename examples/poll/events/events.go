// Package events is the poll's schema: the event types and topic that the
// server publishes and the page reads, and the body of a vote. Both builds
// compile it, so the two sides cannot disagree on a field.
package events

import "github.com/heraldhq/herald/shared"

// Topic is the topic of the poll's events.
const Topic = "poll"

// Question is what the poll asks.
const Question = "Which language for the next service?"

// Options are the answers one may vote for, in the order the page shows them.
var Options = []string{"go", "rust", "zig"}

// TallyEvent carries a Tally: the whole state of the poll after a vote.
var TallyEvent = shared.Define[Tally]("tally")

// Schema holds the poll's event types, which the server publishes.
var Schema = shared.MustSchema(TallyEvent)

// Tally is the number of votes for each option, and their sum. Total only
// grows, so of two tallies the one with the larger Total is the newer.
type Tally struct {
	Votes map[string]int `json:"votes"`
	Total int            `json:"total"`
}

// Vote is the body of POST /vote, {"option": "go"}: a vote for one of
// Options.
type Vote struct {
	Option string `json:"option"`
}
