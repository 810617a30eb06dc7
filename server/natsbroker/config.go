package natsbroker

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
)

// Config configures a Broker. Zero values take the defaults below.
type Config struct {
	// URL is the NATS server to connect to, such as nats://127.0.0.1:4222,
	// or several separated by commas. Credentials may be in the URL
	// (nats://user:password@host:4222) or in Options. Required.
	URL string
	// Stream is the name of the JetStream stream. Open creates it, or
	// updates its settings to these.
	Stream string
	// SubjectPrefix is the subject under which the topics' subjects are.
	SubjectPrefix string

	// MaxEvents, MaxBytes and MaxAge bound what the stream keeps; the oldest
	// events go first. A client that resumes from an event no longer kept
	// is told with herald.gap.
	MaxEvents int64
	MaxBytes  int64
	MaxAge    time.Duration
	// Replicas is the number of copies of the stream in a NATS cluster, 1
	// to 5.
	Replicas int
	// DuplicateWindow is how long JetStream remembers idempotency keys.
	DuplicateWindow time.Duration

	// Timeout bounds each request to NATS that has no deadline of its own.
	Timeout time.Duration
	// Options are more options for the NATS connection, such as
	// nats.UserCredentials or nats.RootCAs.
	Options []nats.Option
	// Logger gets a line when the connection to NATS is lost or back. Nil
	// discards.
	Logger *slog.Logger
}

// The defaults of Config.
const (
	DefaultStream          = "HERALD"
	DefaultSubjectPrefix   = "herald.topic"
	DefaultMaxEvents       = 1_000_000
	DefaultMaxBytes        = 1 << 30
	DefaultMaxAge          = 24 * time.Hour
	DefaultReplicas        = 1
	DefaultDuplicateWindow = 2 * time.Minute
	DefaultTimeout         = 5 * time.Second
)

// withDefaults returns c with every zero setting replaced by its default, or
// an error naming the first setting that is out of range.
func (c Config) withDefaults() (Config, error) {
	if c.URL == "" {
		return c, fmt.Errorf("nats broker config: URL is required")
	}
	def := func(v *int64, d int64) {
		if *v == 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.MaxEvents, DefaultMaxEvents)
	def(&c.MaxBytes, DefaultMaxBytes)
	defDur(&c.MaxAge, DefaultMaxAge)
	defDur(&c.DuplicateWindow, DefaultDuplicateWindow)
	defDur(&c.Timeout, DefaultTimeout)
	if c.Stream == "" {
		c.Stream = DefaultStream
	}
	if c.SubjectPrefix == "" {
		c.SubjectPrefix = DefaultSubjectPrefix
	}
	if c.Replicas == 0 {
		c.Replicas = DefaultReplicas
	}
	switch {
	case c.MaxEvents < 0:
		return c, fmt.Errorf("nats broker config: MaxEvents is negative: %d", c.MaxEvents)
	case c.MaxBytes < 0:
		return c, fmt.Errorf("nats broker config: MaxBytes is negative: %d", c.MaxBytes)
	case c.MaxAge < 0:
		return c, fmt.Errorf("nats broker config: MaxAge is negative: %v", c.MaxAge)
	case c.DuplicateWindow < 0 || c.DuplicateWindow > c.MaxAge:
		return c, fmt.Errorf("nats broker config: DuplicateWindow %v is not within 0 and MaxAge %v", c.DuplicateWindow, c.MaxAge)
	case c.Timeout < 0:
		return c, fmt.Errorf("nats broker config: Timeout is negative: %v", c.Timeout)
	case c.Replicas < 1 || c.Replicas > 5:
		return c, fmt.Errorf("nats broker config: Replicas is %d, want 1 to 5", c.Replicas)
	}
	return c, nil
}
