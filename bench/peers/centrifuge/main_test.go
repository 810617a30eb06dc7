package main

import (
	"testing"

	"github.com/heraldhq/herald/bench/internal/peertest"
)

func TestEveryProbeArrives(t *testing.T) {
	events, publish, err := handlers()
	if err != nil {
		t.Fatal(err)
	}
	peertest.Check(t, events, publish)
}
