// Package events is the poll's schema: the event types and topic that the
// server publishes and the page reads. Both builds compile it, so the two
// sides cannot disagree on a field.
package events

import (
	"fmt"
	"slices"

	"github.com/heraldhq/herald/shared"
)

// Topic is the topic of the poll's events.
const Topic = "poll"

// Question is what the poll asks.
const Question = "Which language for the next service?"

// Options are the answers one may vote for, in the order the page shows them.
var Options = []string{"go", "rust", "zig"}

var (
	// TallyEvent carries a Tally: the whole state of the poll after a vote.
	TallyEvent = shared.Define[Tally]("tally")
	// Schema holds the poll's event types, which the server validates.
	Schema = shared.MustSchema(TallyEvent)
)

// Tally is the number of votes for each option, and their sum. Total only
// grows, so of two tallies the one with the larger Total is the newer.
type Tally struct {
	Votes map[string]int `json:"votes"`
	Total int            `json:"total"`
}

// Validate checks that every option counted is one of Options, that no count
// is negative, and that Total is their sum.
func (t Tally) Validate() error {
	sum := 0
	for option, n := range t.Votes {
		if !slices.Contains(Options, option) || n < 0 {
			return fmt.Errorf("tally: %d votes for %q: not an option, or negative", n, option)
		}
		sum += n
	}
	if sum != t.Total {
		return fmt.Errorf("tally: total %d is not the sum of the votes, %d", t.Total, sum)
	}
	return nil
}
