//go:build !(js && wasm)

package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/engine"
	"github.com/heraldhq/herald/server/natsbroker" // registers nats:// and tls://
	"github.com/heraldhq/herald/server/security"
)

// brokerConfig is where the server binary stores its events: a broker URL,
// opened through engine.OpenBroker, and the settings of a NATS broker.
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
	fs.StringVar(&c.broker, "broker", "", "where events are stored: empty or memory: for this process's memory, or NATS URLs (nats://host:4222, comma-separated) for a JetStream stream that several servers share")
	fs.StringVar(&c.natsStream, "nats-stream", natsbroker.DefaultStream, "name of the JetStream stream, created or updated at start")
	fs.StringVar(&c.natsCreds, "nats-creds", "", "NATS credentials file (.creds), if NATS asks for one")
	fs.Int64Var(&c.natsMaxEvents, "nats-max-events", natsbroker.DefaultMaxEvents, "events the stream keeps for clients that resume on any server")
	fs.Int64Var(&c.natsMaxBytes, "nats-max-bytes", natsbroker.DefaultMaxBytes, "bytes of events the stream keeps")
	fs.DurationVar(&c.natsMaxAge, "nats-max-age", natsbroker.DefaultMaxAge, "longest the stream keeps an event")
	fs.IntVar(&c.natsReplicas, "nats-replicas", natsbroker.DefaultReplicas, "copies of the stream in a NATS cluster, 1 to 5")
	fs.DurationVar(&c.natsDedupWindow, "nats-dedupe-window", natsbroker.DefaultDuplicateWindow, "how long a publish's Idempotency-Key is remembered")
}

// check reports a -broker whose scheme no broker is registered for.
func (c *brokerConfig) check() error {
	if c.broker == "" {
		return nil
	}
	scheme, _, _ := strings.Cut(c.broker, ":")
	for _, s := range engine.BrokerSchemes() {
		if strings.EqualFold(s, scheme) {
			return nil
		}
	}
	return fmt.Errorf("invalid -broker %.100q: want empty, or a URL of one of %s", c.broker, strings.Join(engine.BrokerSchemes(), ", "))
}

// openBroker sets cfg.Broker to the broker that -broker names, if any. It
// fails when the broker cannot be reached now.
func (c *brokerConfig) openBroker(ctx context.Context, cfg *server.Config, log *slog.Logger) error {
	if c.broker == "" {
		return nil
	}
	b, err := engine.OpenBroker(ctx, c.url(), log)
	if err != nil {
		return fmt.Errorf("-broker: %w", err)
	}
	cfg.Broker = b
	return nil
}

// openRevocations sets cfg.Revocations to the key-value bucket of the NATS
// broker, if cfg has one, so that a sign-out on any server sharing it holds
// on all. Its keys last sessionMaxAge (0: the default), a session's longest
// life. Without NATS the Server keeps them in memory.
func openRevocations(ctx context.Context, cfg *server.Config, sessionMaxAge time.Duration) error {
	nb, ok := cfg.Broker.(*natsbroker.Broker)
	if !ok {
		return nil
	}
	if sessionMaxAge == 0 {
		sessionMaxAge = security.DefaultSessionMaxAge
	}
	r, err := nb.Revocations(ctx, "", sessionMaxAge)
	if err != nil {
		return fmt.Errorf("-broker: %w", err)
	}
	cfg.Revocations = r
	return nil
}

// url returns -broker with the -nats-* settings as query parameters, when it
// names NATS servers; a parameter already in -broker wins.
func (c *brokerConfig) url() string {
	scheme, _, _ := strings.Cut(strings.ToLower(c.broker), ":")
	if scheme != "nats" && scheme != "tls" {
		return c.broker
	}
	servers, query, _ := strings.Cut(c.broker, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return c.broker // OpenBroker says what is wrong with it
	}
	set := func(name, value string) {
		if !q.Has(name) && value != "" {
			q.Set(name, value)
		}
	}
	set("stream", c.natsStream)
	set("creds", c.natsCreds)
	set("max_events", strconv.FormatInt(c.natsMaxEvents, 10))
	set("max_bytes", strconv.FormatInt(c.natsMaxBytes, 10))
	set("max_age", c.natsMaxAge.String())
	set("replicas", strconv.Itoa(c.natsReplicas))
	set("dedupe_window", c.natsDedupWindow.String())
	return servers + "?" + q.Encode()
}
