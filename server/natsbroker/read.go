package natsbroker

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/heraldhq/herald/server/engine"
	"github.com/nats-io/nats.go/jetstream"
)

// readBatch is the most events fetched from NATS at once when reading.
const readBatch = 512

// Read returns the stream's first sequence (0 when it is empty) and the
// events on topics with sequences in [from, to], read through an ephemeral
// consumer that is deleted once the caller is done.
func (b *Broker) Read(ctx context.Context, from, to uint64, topics []string) (uint64, iter.Seq2[engine.Record, error], error) {
	none := func(func(engine.Record, error) bool) {}
	ictx, cancel := b.withTimeout(ctx)
	info, err := b.stream.Info(ictx)
	cancel()
	if err != nil {
		return 0, nil, fmt.Errorf("stream %q info: %w", b.cfg.Stream, unavailable(err))
	}
	st := info.State
	if st.Msgs == 0 {
		return 0, none, nil
	}
	from, to = max(from, st.FirstSeq), min(to, st.LastSeq)
	if from > to || len(topics) == 0 {
		return st.FirstSeq, none, nil
	}
	subjects := make([]string, len(topics))
	for i, t := range topics {
		subjects[i] = b.Subject(t)
	}
	return st.FirstSeq, func(yield func(engine.Record, error) bool) {
		if err := b.read(ctx, from, to, subjects, yield); err != nil {
			yield(engine.Record{}, err)
		}
	}, nil
}

// read yields the events on subjects from sequence from up to to, until
// yield returns false.
func (b *Broker) read(ctx context.Context, from, to uint64, subjects []string, yield func(engine.Record, error) bool) error {
	cctx, cancel := b.withTimeout(ctx)
	cons, err := b.stream.CreateConsumer(cctx, jetstream.ConsumerConfig{
		DeliverPolicy:     jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:       from,
		FilterSubjects:    subjects,
		AckPolicy:         jetstream.AckNonePolicy,
		InactiveThreshold: time.Minute,
		MemoryStorage:     true,
		Replicas:          1,
	})
	cancel()
	if err != nil {
		return fmt.Errorf("read stream %q from %d: %w", b.cfg.Stream, from, unavailable(err))
	}
	defer b.deleteConsumer(cons.CachedInfo().Name)
	pending := cons.CachedInfo().NumPending
	for pending > 0 {
		var done bool
		pending, done, err = b.fetch(ctx, cons, pending, to, yield)
		if err != nil || done {
			return err
		}
	}
	return nil
}

// fetch yields the next batch of at most pending events, and returns how many
// are pending after it, or done once past to or when yield returned false.
func (b *Broker) fetch(ctx context.Context, cons jetstream.Consumer, pending, to uint64, yield func(engine.Record, error) bool) (left uint64, done bool, err error) {
	fctx, cancel := context.WithTimeout(ctx, b.cfg.Timeout)
	defer cancel()
	batch, err := cons.Fetch(int(min(pending, readBatch)), jetstream.FetchContext(fctx))
	if err != nil {
		return 0, true, fmt.Errorf("read stream %q: %w", b.cfg.Stream, unavailable(err))
	}
	got := 0
	for msg := range batch.Messages() {
		got++
		meta, err := msg.Metadata()
		if err != nil || meta.Sequence.Stream > to {
			return 0, true, nil
		}
		pending = meta.NumPending
		if r, ok := b.record(msg); ok && !yield(r, nil) {
			return 0, true, nil
		}
	}
	if err := batch.Error(); err != nil {
		return 0, true, fmt.Errorf("read stream %q: %w", b.cfg.Stream, unavailable(err))
	}
	if got == 0 {
		return 0, true, fmt.Errorf("read stream %q: %d events pending but none came: %w", b.cfg.Stream, pending, engine.ErrUnavailable)
	}
	return pending, false, nil
}

// deleteConsumer deletes a read's consumer, which would otherwise stay until
// its inactivity threshold.
func (b *Broker) deleteConsumer(name string) {
	ctx, cancel := context.WithTimeout(context.Background(), b.cfg.Timeout)
	defer cancel()
	_ = b.stream.DeleteConsumer(ctx, name)
}
