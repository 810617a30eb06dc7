//go:build !(js && wasm)

package main

import (
	"github.com/heraldhq/herald/examples/poll/events"
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
