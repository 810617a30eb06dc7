package natsbroker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/heraldhq/herald/server/engine"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// TypeHeader is the message header that holds the event type.
const TypeHeader = "Herald-Type"

// Broker is an engine.Broker on a JetStream stream. Make one with Open.
type Broker struct {
	cfg    Config
	log    *slog.Logger
	nc     *nats.Conn
	js     jetstream.JetStream
	stream jetstream.Stream

	mu      sync.Mutex
	consume jetstream.ConsumeContext
}

var _ engine.Broker = (*Broker)(nil)

// Open connects to NATS and creates the stream, or updates its settings. It
// fails if NATS cannot be reached now; once open, the Broker reconnects for as
// long as it takes.
func Open(ctx context.Context, cfg Config) (*Broker, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	b := &Broker{cfg: cfg, log: cfg.Logger}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	b.nc, err = nats.Connect(cfg.URL, b.natsOptions()...)
	if err != nil {
		return nil, fmt.Errorf("connect to nats at %s: %w", redact(cfg.URL), err)
	}
	if err := b.openStream(ctx); err != nil {
		b.nc.Close()
		return nil, err
	}
	b.log.Info("events stored in nats jetstream", "url", redact(b.nc.ConnectedUrl()), "stream", cfg.Stream)
	return b, nil
}

// natsOptions are the connection's options: reconnect for ever, and never
// buffer a publish while disconnected, so that a publish NATS did not take
// fails at once rather than being sent later, after its caller was told it
// failed.
func (b *Broker) natsOptions() []nats.Option {
	opts := []nats.Option{
		nats.Name("herald"),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		nats.ReconnectBufSize(-1),
		nats.Timeout(b.cfg.Timeout),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			b.log.Warn("nats disconnected", "err", err)
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			b.log.Info("nats reconnected", "url", redact(nc.ConnectedUrl()))
		}),
	}
	return append(opts, b.cfg.Options...)
}

// openStream creates the stream or brings its settings up to date.
func (b *Broker) openStream(ctx context.Context) error {
	js, err := jetstream.New(b.nc, jetstream.WithDefaultTimeout(b.cfg.Timeout))
	if err != nil {
		return fmt.Errorf("open jetstream: %w", err)
	}
	ctx, cancel := b.withTimeout(ctx)
	defer cancel()
	b.js = js
	b.stream, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:               b.cfg.Stream,
		Description:        "Herald events, one subject per topic",
		Subjects:           []string{b.cfg.SubjectPrefix + ".>"},
		Storage:            jetstream.FileStorage,
		Retention:          jetstream.LimitsPolicy,
		Discard:            jetstream.DiscardOld,
		MaxMsgs:            b.cfg.MaxEvents,
		MaxBytes:           b.cfg.MaxBytes,
		MaxAge:             b.cfg.MaxAge,
		Duplicates:         b.cfg.DuplicateWindow,
		Replicas:           b.cfg.Replicas,
		AllowAtomicPublish: true,
	})
	if err != nil {
		return fmt.Errorf("create or update jetstream stream %q: %w", b.cfg.Stream, unavailable(err))
	}
	return nil
}

// Last returns the stream's last sequence number.
func (b *Broker) Last(ctx context.Context) (uint64, error) {
	ctx, cancel := b.withTimeout(ctx)
	defer cancel()
	info, err := b.stream.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("stream %q info: %w", b.cfg.Stream, unavailable(err))
	}
	return info.State.LastSeq, nil
}

// Start consumes the stream from after+1 with an ordered consumer, which
// NATS's client recreates after each reconnection from the last event it
// delivered.
func (b *Broker) Start(after uint64, deliver func(engine.Record)) error {
	ctx, cancel := b.withTimeout(context.Background())
	defer cancel()
	cons, err := b.stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:   after + 1,
	})
	if err != nil {
		return fmt.Errorf("create the ordered consumer of stream %q: %w", b.cfg.Stream, unavailable(err))
	}
	cc, err := cons.Consume(func(msg jetstream.Msg) {
		if r, ok := b.record(msg); ok {
			deliver(r)
		}
	}, jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
		b.log.Warn("nats consumer", "stream", b.cfg.Stream, "err", err)
	}))
	if err != nil {
		return fmt.Errorf("consume stream %q: %w", b.cfg.Stream, unavailable(err))
	}
	b.mu.Lock()
	b.consume = cc
	b.mu.Unlock()
	return nil
}

// record returns the event msg holds, or false if msg is not one of ours.
func (b *Broker) record(msg jetstream.Msg) (engine.Record, bool) {
	meta, err := msg.Metadata()
	if err != nil {
		return engine.Record{}, false
	}
	tokens, ok := strings.CutPrefix(msg.Subject(), b.cfg.SubjectPrefix+".")
	if !ok {
		return engine.Record{}, false
	}
	topic, err := DecodeTopic(tokens)
	if err != nil {
		return engine.Record{}, false
	}
	return engine.Record{
		Message: engine.Message{Topic: topic, Type: msg.Headers().Get(TypeHeader), Data: msg.Data()},
		Seq:     meta.Sequence.Stream,
		Time:    meta.Timestamp,
	}, true
}

// Ready returns nil while the connection to NATS is up.
func (b *Broker) Ready() error {
	if st := b.nc.Status(); st != nats.CONNECTED {
		return fmt.Errorf("nats connection is %s: %w", strings.ToLower(st.String()), engine.ErrUnavailable)
	}
	return nil
}

// Close stops consuming and closes the connection.
func (b *Broker) Close() error {
	b.mu.Lock()
	if b.consume != nil {
		b.consume.Stop()
	}
	b.mu.Unlock()
	b.nc.Close()
	return nil
}

// Subject returns the subject of topic.
func (b *Broker) Subject(topic string) string {
	return b.cfg.SubjectPrefix + "." + EncodeTopic(topic)
}

func (b *Broker) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, b.cfg.Timeout)
}

// unavailable wraps err with engine.ErrUnavailable, unless it says that
// something was too large.
func unavailable(err error) error {
	if errors.Is(err, engine.ErrTooLarge) || errors.Is(err, engine.ErrUnavailable) {
		return err
	}
	return fmt.Errorf("%w: %w", engine.ErrUnavailable, err)
}

// redact returns urls, a comma-separated list, without the credentials.
func redact(urls string) string {
	parts := strings.Split(urls, ",")
	for i, u := range parts {
		at := strings.LastIndexByte(u, '@')
		if at < 0 {
			continue
		}
		start := 0
		if j := strings.Index(u, "://"); j >= 0 && j < at {
			start = j + len("://")
		}
		parts[i] = u[:start] + "REDACTED" + u[at:]
	}
	return strings.Join(parts, ",")
}
