package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/heraldhq/herald/internal/load"
)

// resultLine is one line of results.jsonl.
type resultLine struct {
	Round    int          `json:"round"`
	Peer     string       `json:"peer"`
	Scenario string       `json:"scenario"`
	Result   *load.Result `json:"result,omitempty"`
	Error    string       `json:"error,omitempty"`
}

// printFrom prints the table of the results in path, a results.jsonl of an
// earlier run, whole or cut short, for the peers and scenarios of o.
func printFrom(path string, o options, w io.Writer) error {
	ps, err := pickPeers(o.peers)
	if err != nil {
		return err
	}
	ss, err := pickScenarios(o.scenarios)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read the results: %w", err)
	}
	defer f.Close()
	t := newTable(ps, ss)
	rounds := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		var l resultLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return fmt.Errorf("%s line %d: %w", path, n, err)
		}
		p, okP := find(ps, func(p peer) bool { return p.name == l.Peer })
		s, okS := find(ss, func(s scenario) bool { return s.name == l.Scenario })
		if okP && okS {
			t.add(p, s, l.Result)
			rounds = max(rounds, l.Round)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	o.rounds = rounds
	return t.write(w, o)
}

// find returns the first element of vs that ok accepts.
func find[T any](vs []T, ok func(T) bool) (T, bool) {
	for _, v := range vs {
		if ok(v) {
			return v, true
		}
	}
	var zero T
	return zero, false
}
