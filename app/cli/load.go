//go:build !(js && wasm)

package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/pprof"

	"github.com/heraldhq/herald/internal/load"
)

const loadUsage = `[URL] [--streams N] [--events N] [--rate R] [--batch K] [--json]

Load opens --streams event streams to the server at URL (the default is
http://127.0.0.1:8000) on --topic, publishes --events probe events to it
through POST /publish with the publish token, unpaced or at --rate events a
second, in arrays of up to --batch, and waits for them to arrive. It prints
its progress on standard error every --progress, then a table (or, with
--json, one JSON object) of delivered events a second, the latency from
publication to the client's read (p50, p90, p99, max), lost, duplicated and
out-of-order events, the time to connect, and the server's resident memory
and CPU when it runs on this machine: the process given by --pid, or the one
that listens on the URL's port (found through /proc/net/tcp and /proc/*/fd).
The run stops at --duration whatever happens.

Beyond one source address's ephemeral ports (or --per-source), streams to a
loopback server come from 127.0.0.1, 127.0.0.2, and so on. The server must
allow the streams and the rate: raise its -max-conns, -max-conns-per-client
and -token-publish-rate. Load exits 1 when an event was lost or duplicated,
a publish was refused or a stream failed.`

// Load runs "herald load": a load generator for a Herald server, to size a
// deployment or to check a change. See loadUsage.
func Load(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, asJSON, profile, code, ok := parseLoad(args, stderr)
	if !ok {
		return code
	}
	stopProfile, err := startProfile(*profile)
	if err != nil {
		fmt.Fprintln(stderr, "load:", err)
		return exitError
	}
	res, err := load.Run(ctx, cfg)
	stopProfile()
	if err != nil {
		fmt.Fprintln(stderr, "load:", err)
		return exitError
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(res)
	} else {
		err = res.WriteTable(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "load: write the result:", err)
		return exitError
	}
	if res.Lost > 0 || res.Duplicated > 0 || res.StreamsEnded > 0 || res.ConnectFailed > 0 || len(res.Errors) > 0 {
		return exitError
	}
	return exitOK
}

// parseLoad reads the arguments of load. It returns the exit code when it
// cannot go on.
func parseLoad(args []string, stderr io.Writer) (cfg load.Config, asJSON bool, profile *string, code int, ok bool) {
	fs := newFlagSet("load", loadUsage, stderr)
	fs.StringVar(&cfg.Topic, "topic", load.DefaultTopic, "the topic to follow and publish to")
	fs.StringVar(&cfg.Token, "token", "", "the publish token; the default is $"+tokenEnv)
	fs.IntVar(&cfg.Streams, "streams", load.DefaultStreams, "how many streams to open")
	fs.IntVar(&cfg.Events, "events", 1000, "how many probe events to publish; each stream should get them all (0: connect only)")
	fs.Float64Var(&cfg.Rate, "rate", 0, "events to publish a second; 0 publishes unpaced")
	fs.IntVar(&cfg.Batch, "batch", load.DefaultBatch, "the most events in one request, sent as an array; 1 sends one object a request")
	fs.IntVar(&cfg.Pad, "pad", load.DefaultPad, "bytes of padding in each event")
	fs.DurationVar(&cfg.Duration, "duration", load.DefaultDuration, "the longest the whole run may take")
	fs.DurationVar(&cfg.Drain, "drain", load.DefaultDrain, "how long to wait after the last publish for the events still on their way")
	fs.DurationVar(&cfg.Settle, "settle", load.DefaultSettle, "how long the streams stay idle before publishing, for the server's idle memory")
	fs.DurationVar(&cfg.ConnectTimeout, "connect-timeout", load.DefaultConnectTimeout, "how long each stream may take to open")
	fs.BoolVar(&cfg.Gzip, "gzip", false, "ask for gzip streams (Accept-Encoding: gzip) and decode them")
	fs.IntVar(&cfg.PerSource, "per-source", 0, "the most streams from one loopback source address; 0: its ephemeral port range less 2,000")
	fs.IntVar(&cfg.PID, "pid", 0, "the server's process, for its memory and CPU; 0 finds the one listening on the URL's port")
	fs.DurationVar(&cfg.ProgressEvery, "progress", load.DefaultProgressEvery, "how often to print progress on standard error")
	quiet := fs.Bool("quiet", false, "print no progress")
	fs.BoolVar(&asJSON, "json", false, "print the result as one JSON object, durations in nanoseconds")
	profile = fs.String("cpuprofile", "", "write the load generator's CPU profile to this file, for go tool pprof")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return cfg, false, nil, parseFailed(err), false
	}
	switch len(pos) {
	case 0:
		cfg.URL = "http://127.0.0.1:8000"
	case 1:
		cfg.URL = withScheme(pos[0])
	default:
		return cfg, false, nil, usageError(fs, stderr, "want at most one URL, got %d arguments", len(pos)), false
	}
	if cfg.Token == "" {
		cfg.Token = os.Getenv(tokenEnv)
	}
	if !*quiet {
		cfg.Progress = stderr
	}
	return cfg, asJSON, profile, exitOK, true
}

// startProfile starts a CPU profile into path, unless it is empty, and
// returns the function that ends it.
func startProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create the CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("start the CPU profile %s: %w", path, err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
