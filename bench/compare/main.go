// Command compare runs Herald and its peers side by side under the same
// load, with herald load's engine, and prints the table of the README's
// Performance section:
//
//	cd bench && go run ./compare                      # every peer, every scenario, 2 rounds
//	go run ./compare -quick -rounds 1                 # a tenth of the streams and events
//	go run ./compare -peers herald,r3labs -scenarios S4b
//	go run ./compare -from /tmp/herald-bench-1/results.jsonl   # the table of an earlier run
//
// It builds each server (the peers of ./peers and the herald binary of the
// repository), then for each round, scenario and peer starts the server
// fresh on a free loopback port, runs the load, and stops it. Each run's
// result goes to -out as a JSON line; the table goes to standard output.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/heraldhq/herald/internal/load"
)

// options are the flags of compare.
type options struct {
	peers, scenarios string
	rounds           int
	batch            int
	quick            bool
	out              string
	pause            time.Duration
	from             string
}

func main() {
	var o options
	flag.StringVar(&o.peers, "peers", "centrifuge,r3labs,gosse,herald", "the servers to compare, comma-separated, or all (adds herald-b100)")
	flag.StringVar(&o.scenarios, "scenarios", "all", "the scenarios, comma-separated (S1,S2,S3,S4,S4b), or all")
	flag.IntVar(&o.rounds, "rounds", 2, "how many times to run each scenario on each server")
	flag.IntVar(&o.batch, "batch", 0, "events a publish request carries, for every server; 0: each server's own (1, and 100 for herald-b100)")
	flag.BoolVar(&o.quick, "quick", false, "scale the scenarios down to a tenth of the streams and events")
	flag.StringVar(&o.out, "out", "", "the directory for binaries, logs and results; the default is a new one in the system's temporary directory")
	flag.DurationVar(&o.pause, "pause", 2*time.Second, "the rest between runs, for the sockets of one run to close")
	flag.StringVar(&o.from, "from", "", "print the table of this results.jsonl of an earlier run, and run nothing")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	run := run
	if o.from != "" {
		run = func(context.Context, options) error { return printFrom(o.from, o, os.Stdout) }
	}
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

// run builds the servers, runs every round, and prints the table.
func run(ctx context.Context, o options) error {
	ps, err := pickPeers(o.peers)
	if err != nil {
		return err
	}
	ss, err := pickScenarios(o.scenarios)
	if err != nil {
		return err
	}
	if o.rounds < 1 || o.rounds > 20 {
		return fmt.Errorf("-rounds %d is not between 1 and 20", o.rounds)
	}
	if o.out == "" {
		if o.out, err = os.MkdirTemp("", "herald-bench-"); err != nil {
			return fmt.Errorf("make the output directory: %w", err)
		}
	}
	if err := os.MkdirAll(filepath.Join(o.out, "logs"), 0o755); err != nil {
		return fmt.Errorf("make the output directory: %w", err)
	}
	if err := raiseFileLimit(); err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
	}
	fmt.Fprintf(os.Stderr, "compare: building into %s\n", o.out)
	if err := build(ctx, ps, o.out); err != nil {
		return err
	}
	results, err := os.Create(filepath.Join(o.out, "results.jsonl"))
	if err != nil {
		return fmt.Errorf("create the results file: %w", err)
	}
	defer results.Close()
	t := newTable(ps, ss)
	for round := 1; round <= o.rounds; round++ {
		for _, s := range ss {
			for _, p := range ps {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				res, err := runOne(ctx, o, p, s.scaled(o.quick), round)
				if err != nil {
					fmt.Fprintf(os.Stderr, "compare: round %d, %s, %s: %v\n", round, s.name, p.name, err)
				}
				t.add(p, s, res)
				writeResult(results, round, p, s, res, err)
				time.Sleep(o.pause)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "compare: results in %s\n", results.Name())
	return t.write(os.Stdout, o)
}

// runOne starts p, puts s on it, and stops it.
func runOne(ctx context.Context, o options, p peer, s scenario, round int) (*load.Result, error) {
	log, err := os.Create(filepath.Join(o.out, "logs", fmt.Sprintf("%d-%s-%s.log", round, s.name, p.name)))
	if err != nil {
		return nil, fmt.Errorf("create the server's log: %w", err)
	}
	defer log.Close()
	srv, err := start(o.out, p, log)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	fmt.Fprintf(os.Stderr, "compare: round %d, %s on %s (%d streams, %d events, rate %v)\n", round, s.name, p.name, s.streams, s.events, s.rate)
	cfg := s.config(srv.addr, p.batchFor(o), srv.cmd.Process.Pid)
	res, err := load.Run(ctx, cfg)
	debug.FreeOSMemory() // the next run's load generator starts small
	if err == nil {
		fmt.Fprintf(os.Stderr, "compare:   %.0f ev/s, p99 %v, lost %d, idle %d B/stream\n", res.EventsPerSecond, res.Latency.P99, res.Lost, res.IdlePerStream)
	}
	return res, err
}

// writeResult writes one run as a JSON line.
func writeResult(f *os.File, round int, p peer, s scenario, res *load.Result, err error) {
	line := resultLine{Round: round, Peer: p.name, Scenario: s.name, Result: res}
	if err != nil {
		line.Error = err.Error()
	}
	b, _ := json.Marshal(line)
	fmt.Fprintf(f, "%s\n", b)
}
