package main

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/heraldhq/herald/internal/load"
)

// table gathers the results of every round, by scenario and peer.
type table struct {
	peers     []peer
	scenarios []scenario
	cells     map[string][]*load.Result // by scenario name and peer name
}

func newTable(ps []peer, ss []scenario) *table {
	return &table{peers: ps, scenarios: ss, cells: map[string][]*load.Result{}}
}

func key(s scenario, p peer) string { return s.name + "/" + p.name }

// add records a round's result; nil for a run that failed.
func (t *table) add(p peer, s scenario, r *load.Result) {
	t.cells[key(s, p)] = append(t.cells[key(s, p)], r)
}

// write prints the table in markdown.
func (t *table) write(w io.Writer, o options) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%d round(s), %d cores (GOMAXPROCS), quick %v; ev/s delivered over all streams, latency from the probe's stamp to the client's read", o.rounds, runtime.GOMAXPROCS(0), o.quick)
	if o.batch > 0 {
		fmt.Fprintf(&b, "; every server sent arrays of %d events a publish request", o.batch)
	}
	b.WriteString("\n\n")
	b.WriteString("| scenario |")
	for _, p := range t.peers {
		b.WriteString(" " + p.titleFor(o) + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(t.peers)) + "\n")
	for _, s := range t.scenarios {
		b.WriteString("| " + s.scaled(o.quick).label(o.quick) + " |")
		for _, p := range t.peers {
			b.WriteString(" " + cell(s, t.cells[key(s, p)]) + " |")
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// label is the scenario's row title, its sizes given when scaled.
func (s scenario) label(quick bool) string {
	if !quick {
		return s.title
	}
	return fmt.Sprintf("%s (quick: %d streams, %d ev)", s.name, s.streams, s.events)
}

// cell summarises the rounds of one scenario on one peer: the range of
// what the scenario is about, and any loss.
func cell(s scenario, rs []*load.Result) string {
	var rates, p99s, idle []float64
	var lost, dup, failed int64
	for _, r := range rs {
		if r == nil {
			failed++
			continue
		}
		rates = append(rates, r.EventsPerSecond)
		p99s = append(p99s, float64(r.Latency.P99)/float64(time.Millisecond))
		idle = append(idle, float64(r.IdlePerStream)/1000)
		lost += r.Lost
		dup += r.Duplicated
	}
	switch {
	case len(rs) == 0:
		return "—" // not run
	case len(rates) == 0:
		return "failed"
	}
	var c string
	switch {
	case s.events == 0:
		c = span(idle, "%.1f") + " KB"
	case s.name == "S4b":
		c = "p99 " + span(p99s, "%.0f") + " ms"
	default:
		c = span(scale(rates, 1000), "%.0f") + "k ev/s, p99 " + span(p99s, "%.0f") + " ms"
	}
	if lost > 0 || dup > 0 {
		c += fmt.Sprintf(", **lost %d, duplicated %d**", lost, dup)
	}
	if failed > 0 {
		c += fmt.Sprintf(", %d round(s) failed", failed)
	}
	return c
}

// scale divides vs by d.
func scale(vs []float64, d float64) []float64 {
	out := make([]float64, len(vs))
	for i, v := range vs {
		out[i] = v / d
	}
	return out
}

// span formats the range of vs, min–max, or the one value.
func span(vs []float64, format string) string {
	lo, hi := vs[0], vs[0]
	for _, v := range vs {
		lo, hi = min(lo, v), max(hi, v)
	}
	if fmt.Sprintf(format, lo) == fmt.Sprintf(format, hi) {
		return fmt.Sprintf(format, lo)
	}
	return fmt.Sprintf(format+"–"+format, lo, hi)
}
