package natsbroker

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/heraldhq/herald/server/engine"
	"github.com/nats-io/nats.go"
)

// The broker opens the nats:// and tls:// URLs of engine.OpenBroker.
func init() {
	engine.RegisterBroker("nats", OpenURL)
	engine.RegisterBroker("tls", OpenURL)
}

// OpenURL opens the Broker that rawURL names: the URLs of NATS servers,
// separated by commas, then the settings of Config as query parameters:
//
//	nats://10.0.0.1:4222,nats://10.0.0.2:4222?stream=HERALD&replicas=3&max_age=24h
//
// The parameters are stream, subject_prefix, max_events, max_bytes,
// max_age, replicas, dedupe_window, timeout and creds (a NATS credentials
// file). The Broker logs to log.
func OpenURL(ctx context.Context, rawURL string, log *slog.Logger) (engine.Broker, error) {
	cfg, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	cfg.Logger = log
	return Open(ctx, cfg)
}

// ParseURL returns the Config that rawURL names, as OpenURL reads it.
func ParseURL(rawURL string) (Config, error) {
	servers, query, _ := strings.Cut(rawURL, "?")
	cfg := Config{URL: servers}
	q, err := url.ParseQuery(query)
	if err != nil {
		return cfg, fmt.Errorf("nats broker URL %s: %w", redact(servers), err)
	}
	for name, vs := range q {
		if err := cfg.set(name, vs[len(vs)-1]); err != nil {
			return cfg, fmt.Errorf("nats broker URL %s: parameter %s: %w", redact(servers), name, err)
		}
	}
	return cfg, nil
}

// set sets the setting that the query parameter name names to value.
func (c *Config) set(name, value string) error {
	var err error
	switch name {
	case "stream":
		c.Stream = value
	case "subject_prefix":
		c.SubjectPrefix = value
	case "max_events":
		c.MaxEvents, err = strconv.ParseInt(value, 10, 64)
	case "max_bytes":
		c.MaxBytes, err = strconv.ParseInt(value, 10, 64)
	case "max_age":
		c.MaxAge, err = time.ParseDuration(value)
	case "replicas":
		c.Replicas, err = strconv.Atoi(value)
	case "dedupe_window":
		c.DuplicateWindow, err = time.ParseDuration(value)
	case "timeout":
		c.Timeout, err = time.ParseDuration(value)
	case "creds":
		c.Options = append(c.Options, nats.UserCredentials(value))
	default:
		return fmt.Errorf("unknown: want stream, subject_prefix, max_events, max_bytes, max_age, replicas, dedupe_window, timeout or creds")
	}
	return err
}
