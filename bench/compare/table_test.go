package main

import (
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/internal/load"
)

func TestCell(t *testing.T) {
	s1, s3, s4b := scenarios[0], scenarios[2], scenarios[4]
	res := func(rate float64, p99 time.Duration, idle, lost int64) *load.Result {
		return &load.Result{EventsPerSecond: rate, Latency: load.Latency{P99: p99}, IdlePerStream: idle, Lost: lost}
	}
	tests := []struct {
		name string
		s    scenario
		rs   []*load.Result
		want string
	}{
		{"a throughput scenario gives the range of rates and of p99s", s1, []*load.Result{res(600e3, 85*time.Millisecond, 0, 0), res(708e3, 110*time.Millisecond, 0, 0)}, "600–708k ev/s, p99 85–110 ms"},
		{"one value is not a range", s1, []*load.Result{res(600e3, 85*time.Millisecond, 0, 0)}, "600k ev/s, p99 85 ms"},
		{"the memory scenario gives kilobytes a stream", s3, []*load.Result{res(0, 0, 4100, 0)}, "4.1 KB"},
		{"the paced scenario gives the p99", s4b, []*load.Result{res(50e3, 14*time.Millisecond, 0, 0)}, "p99 14 ms"},
		{"a loss is shown", s1, []*load.Result{res(1e3, time.Millisecond, 0, 5)}, "1k ev/s, p99 1 ms, **lost 5, duplicated 0**"},
		{"a failed round is shown", s1, []*load.Result{nil, res(1e3, time.Millisecond, 0, 0)}, "1k ev/s, p99 1 ms, 1 round(s) failed"},
		{"no round that worked", s1, []*load.Result{nil}, "failed"},
		{"no round run", s1, nil, "—"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cell(tt.s, tt.rs); got != tt.want {
				t.Errorf("cell = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPickRefusesUnknownNames(t *testing.T) {
	if _, err := pickPeers("herald,nginx"); err == nil || !strings.Contains(err.Error(), "nginx") {
		t.Errorf("pickPeers(herald,nginx) = %v, want an error naming nginx", err)
	}
	if _, err := pickScenarios("S1,S9"); err == nil || !strings.Contains(err.Error(), "S9") {
		t.Errorf("pickScenarios(S1,S9) = %v, want an error naming S9", err)
	}
	if ss, err := pickScenarios("s4b,S1"); err != nil || len(ss) != 2 || ss[0].name != "S4b" {
		t.Errorf("pickScenarios(s4b,S1) = %v, %v; want S4b then S1", ss, err)
	}
}

func TestQuickScalesDown(t *testing.T) {
	for _, s := range scenarios {
		q := s.scaled(true)
		if q.streams > s.streams/5 || q.events > s.events/5 || q.rate != s.rate {
			t.Errorf("%s quick: %d streams, %d events, rate %v; want a tenth, rate unchanged", s.name, q.streams, q.events, q.rate)
		}
	}
}
