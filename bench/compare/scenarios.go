package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/heraldhq/herald/internal/load"
)

// scenario is one load the servers are put under.
type scenario struct {
	name    string
	title   string
	streams int
	events  int
	rate    float64       // events a second; 0 unpaced
	settle  time.Duration // idle time before publishing, for memory
}

// scenarios are the issue's, in the table's order.
var scenarios = []scenario{
	{name: "S1", title: "S1 1,000 streams × 2,000 ev, unpaced", streams: 1000, events: 2000},
	{name: "S2", title: "S2 10,000 streams × 200 ev", streams: 10000, events: 200},
	{name: "S3", title: "S3 idle memory per stream", streams: 10000, settle: 3 * time.Second},
	{name: "S4", title: "S4 1,000 streams at 1,000 ev/s", streams: 1000, events: 2000, rate: 1000},
	{name: "S4b", title: "S4b 1,000 streams at 50 ev/s, p99", streams: 1000, events: 250, rate: 50},
}

// quickDivisor scales the scenarios down in quick mode: a tenth of the
// streams and of the events, the rates unchanged.
const quickDivisor = 10

// scaled returns s for quick mode.
func (s scenario) scaled(quick bool) scenario {
	if !quick {
		return s
	}
	s.streams = max(s.streams/quickDivisor, 10)
	s.events /= quickDivisor
	s.settle = min(s.settle, time.Second)
	return s
}

// config returns the load of s on the server at addr, published with batch
// events a request.
func (s scenario) config(addr string, batch, pid int) load.Config {
	return load.Config{
		URL: "http://" + addr, Topic: "public", Token: token, Streams: s.streams, Events: s.events,
		Rate: s.rate, Batch: batch, Pad: 64, PID: pid, Settle: max(s.settle, 500*time.Millisecond),
		Duration: 5 * time.Minute, Drain: 15 * time.Second, ConnectTimeout: 30 * time.Second,
	}
}

// pickScenarios returns the scenarios named in list, a comma-separated list,
// or all for "all".
func pickScenarios(list string) ([]scenario, error) {
	if list == "all" {
		return scenarios, nil
	}
	var picked []scenario
	for name := range strings.SplitSeq(list, ",") {
		found := false
		for _, s := range scenarios {
			if strings.EqualFold(s.name, strings.TrimSpace(name)) {
				picked, found = append(picked, s), true
			}
		}
		if !found {
			return nil, fmt.Errorf("-scenarios: no scenario %q (want S1, S2, S3, S4, S4b or all)", name)
		}
	}
	return picked, nil
}
