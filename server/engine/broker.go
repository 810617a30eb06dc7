package engine

import (
	"context"
	"errors"
	"iter"
	"time"
)

// Broker is where published events are stored and where a Server's events
// come from. The Server keeps the fan-out to its own streams and a cache of
// recent events; the broker gives every event its sequence number, which is
// its id on the wire, and delivers every event stored, in order, to every
// Server that shares it. With the in-memory broker, the default, a Server
// stands alone; with a shared one, such as the NATS JetStream broker in
// server/natsbroker, any number of Servers serve the same events and a
// client may resume on any of them.
type Broker interface {
	// Last returns the highest sequence number issued so far; the next
	// event stored gets a higher one.
	Last(ctx context.Context) (uint64, error)
	// Start delivers every event stored after sequence number after, in
	// order, by calling deliver from one goroutine at a time, until Close.
	// While the broker is unreachable nothing is delivered; once it is
	// back, delivery resumes after the last event delivered.
	Start(after uint64, deliver func(Record)) error
	// Publish stores msgs as one batch, all or none, and returns their
	// sequence numbers in order once they are stored. A message whose Key
	// was stored within the broker's dedupe window is not stored again: its
	// sequence number is the first one's. Errors that wrap ErrUnavailable
	// mean the broker could not be reached: the caller may retry.
	Publish(ctx context.Context, msgs []Message) ([]uint64, error)
	// Read returns the sequence number of the oldest event the broker still
	// stores, on any topic, or 0 when it stores none: the events before it
	// are gone. And it returns the stored events on one of topics whose
	// sequence numbers are in [from, to], in order, read from the broker as
	// the caller ranges over them; ranging stops at the first error.
	Read(ctx context.Context, from, to uint64, topics []string) (oldest uint64, events iter.Seq2[Record, error], err error)
	// Ready returns nil while the broker is reachable, and why not
	// otherwise.
	Ready() error
	// Close stops the deliveries and releases the broker's resources.
	Close() error
}

// Record is a stored event: a published message with its sequence number and
// the time it was stored.
type Record struct {
	Message
	Seq  uint64
	Time time.Time
}

// ErrUnavailable is wrapped by the errors of a broker that cannot be reached.
// POST /publish answers them with 503 and Retry-After.
var ErrUnavailable = errors.New("broker unavailable")

// ErrTooLarge is wrapped by the errors of a broker that refuses a message or a
// batch for its size. POST /publish answers them with 413.
var ErrTooLarge = errors.New("too large for the broker")

// ErrFrameTooLarge is wrapped by the error of a publish with an event whose
// frame, once encoded, could not fit even an empty subscriber queue
// (Config.QueueBytes): delivered, it would cut off every subscriber of its
// topic. Nothing of such a publish is stored. POST /publish answers it with
// 413.
var ErrFrameTooLarge = errors.New("event too large for a subscriber's queue")
