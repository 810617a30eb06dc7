//go:build !(js && wasm)

package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/natsbroker"
	"github.com/nats-io/nats.go"
)

// brokerConfig is where the server binary stores its events: in memory, or in
// a NATS JetStream stream that several servers share.
type brokerConfig struct {
	broker          string
	natsStream      string
	natsCreds       string
	natsMaxEvents   int64
	natsMaxBytes    int64
	natsMaxAge      time.Duration
	natsReplicas    int
	natsDedupWindow time.Duration
}

// addBrokerFlags adds the broker's flags to fs, bound to c.
func addBrokerFlags(fs *flag.FlagSet, c *brokerConfig) {
	fs.StringVar(&c.broker, "broker", "", "where events are stored: empty for this process's memory, or NATS URLs (nats://host:4222, comma-separated) for a JetStream stream that several servers share")
	fs.StringVar(&c.natsStream, "nats-stream", natsbroker.DefaultStream, "name of the JetStream stream, created or updated at start")
	fs.StringVar(&c.natsCreds, "nats-creds", "", "NATS credentials file (.creds), if NATS asks for one")
	fs.Int64Var(&c.natsMaxEvents, "nats-max-events", natsbroker.DefaultMaxEvents, "events the stream keeps for clients that resume on any server")
	fs.Int64Var(&c.natsMaxBytes, "nats-max-bytes", natsbroker.DefaultMaxBytes, "bytes of events the stream keeps")
	fs.DurationVar(&c.natsMaxAge, "nats-max-age", natsbroker.DefaultMaxAge, "longest the stream keeps an event")
	fs.IntVar(&c.natsReplicas, "nats-replicas", natsbroker.DefaultReplicas, "copies of the stream in a NATS cluster, 1 to 5")
	fs.DurationVar(&c.natsDedupWindow, "nats-dedupe-window", natsbroker.DefaultDuplicateWindow, "how long a publish's Idempotency-Key is remembered")
}

// check reports a -broker that is neither empty nor NATS URLs.
func (c *brokerConfig) check() error {
	if c.broker == "" {
		return nil
	}
	for _, u := range strings.Split(c.broker, ",") {
		if !strings.HasPrefix(u, "nats://") && !strings.HasPrefix(u, "tls://") {
			return fmt.Errorf("invalid -broker %q: want empty, or nats:// or tls:// URLs separated by commas", c.broker)
		}
	}
	return nil
}

// openBroker sets cfg.Broker to the NATS broker that -broker names, if any.
// It fails when NATS cannot be reached now.
func (c *brokerConfig) openBroker(ctx context.Context, cfg *server.Config, log *slog.Logger) error {
	if c.broker == "" {
		return nil
	}
	var opts []nats.Option
	if c.natsCreds != "" {
		opts = append(opts, nats.UserCredentials(c.natsCreds))
	}
	b, err := natsbroker.Open(ctx, natsbroker.Config{
		URL:             c.broker,
		Stream:          c.natsStream,
		MaxEvents:       c.natsMaxEvents,
		MaxBytes:        c.natsMaxBytes,
		MaxAge:          c.natsMaxAge,
		Replicas:        c.natsReplicas,
		DuplicateWindow: c.natsDedupWindow,
		Options:         opts,
		Logger:          log,
	})
	if err != nil {
		return fmt.Errorf("-broker: %w", err)
	}
	cfg.Broker = b
	return nil
}
