package natsbroker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/heraldhq/herald/server/engine"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"
)

// The headers of JetStream's atomic batch publish.
const (
	batchIDHeader     = "Nats-Batch-Id"
	batchSeqHeader    = "Nats-Batch-Sequence"
	batchCommitHeader = "Nats-Batch-Commit"
)

// The JetStream API error codes that Publish tells apart.
const (
	errCodeMessageTooLarge    = 10054 // message size exceeds the stream's maximum
	errCodeBatchTooLarge      = 10199 // atomic batch has too many messages
	errCodeBatchHasDuplicates = 10201 // atomic batch holds a Nats-Msg-Id already stored
)

// Publish stores msgs and returns their stream sequences once JetStream has
// acknowledged them. One message is a plain JetStream publish. Several are one
// JetStream atomic batch: all are stored, with consecutive sequences, or
// none. A message's Key is its Nats-Msg-Id, so that JetStream stores it once
// within the duplicate window. A batch that holds a key already stored is
// published again message by message: JetStream answers the keys stored with
// their sequences and stores the other messages one by one, so such a batch
// is not all or none if NATS fails halfway through it.
func (b *Broker) Publish(ctx context.Context, msgs []engine.Message) ([]uint64, error) {
	if len(msgs) == 0 {
		return nil, nil
	}
	if err := b.Ready(); err != nil {
		return nil, err
	}
	if err := b.checkSizes(msgs); err != nil {
		return nil, err
	}
	ctx, cancel := b.withTimeout(ctx)
	defer cancel()
	if len(msgs) == 1 {
		seq, err := b.publishOne(ctx, msgs[0])
		if err != nil {
			return nil, err
		}
		return []uint64{seq}, nil
	}
	seqs, err := b.publishBatch(ctx, msgs)
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode == errCodeBatchHasDuplicates {
		return b.publishEach(ctx, msgs)
	}
	return seqs, err
}

// headerRoom is room enough for the headers and the subject of a message.
const headerRoom = 512

// checkSizes refuses msgs if one of them is over the largest message NATS
// takes, before any is sent: a batch cut short would hold one of the stream's
// few slots for open batches until it times out.
func (b *Broker) checkSizes(msgs []engine.Message) error {
	limit := b.nc.MaxPayload() - headerRoom
	for i, m := range msgs {
		if int64(len(m.Data)+len(m.Topic)+len(m.Type)+len(m.Key)) > limit {
			return fmt.Errorf("event %d of %d bytes is over the NATS limit of %d: %w", i, len(m.Data), limit, engine.ErrTooLarge)
		}
	}
	return nil
}

// natsMsg returns m as a NATS message on its topic's subject.
func (b *Broker) natsMsg(m engine.Message) *nats.Msg {
	msg := nats.NewMsg(b.Subject(m.Topic))
	msg.Header.Set(TypeHeader, m.Type)
	if m.Key != "" {
		msg.Header.Set(jetstream.MsgIDHeader, m.Key)
	}
	msg.Data = m.Data
	return msg
}

// publishOne stores one message.
func (b *Broker) publishOne(ctx context.Context, m engine.Message) (uint64, error) {
	ack, err := b.js.PublishMsg(ctx, b.natsMsg(m), jetstream.WithExpectStream(b.cfg.Stream))
	if err != nil {
		return 0, fmt.Errorf("publish to %s: %w", b.Subject(m.Topic), classify(err))
	}
	return ack.Sequence, nil
}

// publishEach stores msgs one by one, in order.
func (b *Broker) publishEach(ctx context.Context, msgs []engine.Message) ([]uint64, error) {
	seqs := make([]uint64, len(msgs))
	for i, m := range msgs {
		seq, err := b.publishOne(ctx, m)
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", i, err)
		}
		seqs[i] = seq
	}
	return seqs, nil
}

// batchAck is JetStream's answer to the commit of an atomic batch.
type batchAck struct {
	Seq   uint64              `json:"seq"`
	Count int                 `json:"count"`
	Error *jetstream.APIError `json:"error"`
}

// publishBatch stores msgs as one atomic batch: every message but the last
// is sent without waiting, and the last commits the batch and gets the
// acknowledgement with the last message's sequence.
func (b *Broker) publishBatch(ctx context.Context, msgs []engine.Message) ([]uint64, error) {
	id := nuid.Next()
	var reply *nats.Msg
	for i, m := range msgs {
		msg := b.natsMsg(m)
		msg.Header.Set(batchIDHeader, id)
		msg.Header.Set(batchSeqHeader, strconv.Itoa(i+1))
		var err error
		if i < len(msgs)-1 {
			err = b.nc.PublishMsg(msg)
		} else {
			msg.Header.Set(batchCommitHeader, "1")
			reply, err = b.nc.RequestMsgWithContext(ctx, msg)
		}
		if err != nil {
			return nil, fmt.Errorf("publish a batch of %d events: %w", len(msgs), classify(err))
		}
	}
	var ack batchAck
	if err := json.Unmarshal(reply.Data, &ack); err != nil {
		return nil, fmt.Errorf("publish a batch of %d events: bad acknowledgement %q: %w", len(msgs), reply.Data, engine.ErrUnavailable)
	}
	if ack.Error != nil {
		return nil, fmt.Errorf("publish a batch of %d events: %w", len(msgs), classify(ack.Error))
	}
	if ack.Count != len(msgs) || ack.Seq < uint64(len(msgs)) {
		return nil, fmt.Errorf("publish a batch of %d events: acknowledged %d ending at %d: %w", len(msgs), ack.Count, ack.Seq, engine.ErrUnavailable)
	}
	seqs := make([]uint64, len(msgs))
	for i := range seqs {
		seqs[i] = ack.Seq - uint64(len(msgs)-1-i)
	}
	return seqs, nil
}

// classify wraps err with engine.ErrTooLarge when NATS refused a message or
// batch for its size, and with engine.ErrUnavailable otherwise.
func classify(err error) error {
	var apiErr *jetstream.APIError
	if errors.Is(err, nats.ErrMaxPayload) ||
		errors.As(err, &apiErr) && (apiErr.ErrorCode == errCodeMessageTooLarge || apiErr.ErrorCode == errCodeBatchTooLarge) {
		return fmt.Errorf("%w: %w", engine.ErrTooLarge, err)
	}
	return unavailable(err)
}
