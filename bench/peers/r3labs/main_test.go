package main

import (
	"testing"

	"github.com/heraldhq/herald/bench/internal/peertest"
)

func TestEveryProbeArrives(t *testing.T) {
	events, publish := handlers()
	peertest.Check(t, events, publish)
}
