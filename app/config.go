//go:build !(js && wasm)

package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/heraldhq/herald/server"
)

// config is every setting of the server binary. Each is a flag and an
// environment variable of the same name: -publish-token and
// HERALD_PUBLISH_TOKEN. A flag given on the command line wins.
type config struct {
	addr         string
	publishToken string
	webDir       string
	retry        time.Duration
	heartbeat    time.Duration
	demo         bool
	logFormat    string
	metricsAddr  string
	pprof        bool
	gzip         bool

	writeTimeout    time.Duration
	maxLifetime     time.Duration
	shutdownTimeout time.Duration
	queueEvents     int
	queueBytes      int
	historyEvents   int
	historyBytes    int
	historyAge      time.Duration

	rateConfig
	securityConfig
	brokerConfig
}

// newFlagSet returns the flags of the server, bound to c, with their defaults.
func newFlagSet(c *config, output io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("herald", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8000", "address to listen on, host:port")
	fs.StringVar(&c.publishToken, "publish-token", "", "bearer token that POST /publish requires; empty disables publishing over HTTP")
	fs.StringVar(&c.webDir, "web-dir", "web", "directory of the static files, app.wasm among them")
	fs.DurationVar(&c.retry, "retry", server.DefaultRetry, "reconnection delay sent to clients")
	fs.DurationVar(&c.heartbeat, "heartbeat", server.DefaultHeartbeat, "interval of heartbeat comments on idle streams")
	fs.BoolVar(&c.demo, "demo", true, "publish the server's live figures and log records for the demo's dashboard and log tail")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&c.metricsAddr, "metrics-addr", "", "address of the Prometheus /metrics listener, host:port; empty: no metrics")
	fs.BoolVar(&c.pprof, "pprof", false, "also serve the Go runtime's profiles (/debug/pprof/) on the -metrics-addr listener")
	fs.BoolVar(&c.gzip, "gzip", true, "send event streams gzipped to clients that accept it, each event compressed once for all")
	fs.DurationVar(&c.writeTimeout, "write-timeout", server.DefaultWriteTimeout, "longest a stream write may take before the client is cut off")
	fs.DurationVar(&c.maxLifetime, "max-lifetime", 0, "close streams after about this long (less up to a quarter) so connections rotate; 0 keeps them open")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 10*time.Second, "longest the drain at SIGINT or SIGTERM may take")
	fs.IntVar(&c.queueEvents, "queue-events", server.DefaultQueueEvents, "events a stream may have waiting before it is cut off as too slow")
	fs.IntVar(&c.queueBytes, "queue-bytes", server.DefaultQueueBytes, "bytes a stream may have waiting before it is cut off as too slow")
	fs.IntVar(&c.historyEvents, "history-events", server.DefaultHistoryEvents, "events kept for clients that resume, per topic class (twice that in all)")
	fs.IntVar(&c.historyBytes, "history-bytes", server.DefaultHistoryBytes, "bytes of events kept for clients that resume, per topic class (twice that in all)")
	fs.DurationVar(&c.historyAge, "history-age", server.DefaultHistoryAge, "longest an event is kept for clients that resume")
	addRateFlags(fs, &c.rateConfig)
	addSecurityFlags(fs, &c.securityConfig)
	addBrokerFlags(fs, &c.brokerConfig)
	fs.Usage = func() { usage(fs) }
	return fs
}

// envName returns the environment variable of flag name.
func envName(name string) string {
	return "HERALD_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// parseConfig reads the settings from args, then from the environment for the
// flags that args do not set.
func parseConfig(args []string, getenv func(string) string, output io.Writer) (config, error) {
	var c config
	fs := newFlagSet(&c, output)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q (settings are flags: see -help)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		v := getenv(envName(f.Name))
		if err != nil || set[f.Name] || v == "" {
			return
		}
		if e := fs.Set(f.Name, v); e != nil {
			err = fmt.Errorf("invalid %s=%q: %v", envName(f.Name), v, e)
		}
	})
	if err != nil {
		return c, err
	}
	return c, c.check()
}

// check reports the first setting whose value is out of range.
func (c *config) check() error {
	if c.logFormat != "text" && c.logFormat != "json" {
		return fmt.Errorf("invalid -log-format %q: want text or json", c.logFormat)
	}
	if err := c.rateConfig.check(); err != nil {
		return err
	}
	if err := c.brokerConfig.check(); err != nil {
		return err
	}
	return c.securityConfig.check()
}

// newLogger returns the logger of the format c asks for, writing to w.
func (c *config) newLogger(w io.Writer) *slog.Logger {
	if c.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

func usage(fs *flag.FlagSet) {
	out := fs.Output()
	fmt.Fprintf(out, "Usage: herald [flags]\n       herald COMMAND [flags]\n\n")
	fmt.Fprintf(out, "Serves the Herald demo app and its event streams.\n\nFlags (each also read from the environment variable shown):\n")
	fs.VisitAll(func(f *flag.Flag) {
		fmt.Fprintf(out, "  -%s (%s, default %q)\n    \t%s\n", f.Name, envName(f.Name), f.DefValue, f.Usage)
	})
}
