package engine

import (
	"fmt"
	"time"

	"github.com/heraldhq/herald/shared/sse"
)

// Frame is one published event, encoded once. It is immutable once made: the
// same Frame sits in the history and in every subscriber's queue.
type Frame struct {
	seq   uint64
	topic string
	wire  []byte // the complete SSE frame, blank line included
	at    time.Time
	gz    gzipTwin // wire compressed, once a gzip stream asks
}

// Seq returns the event's sequence number, which is its id.
func (f *Frame) Seq() uint64 { return f.seq }

// Topic returns the topic the event was published to.
func (f *Frame) Topic() string { return f.topic }

// Wire returns the event as it goes on a stream, ending with its blank line.
// The caller must not change it.
func (f *Frame) Wire() []byte { return f.wire }

// At returns when the event was stored.
func (f *Frame) At() time.Time { return f.at }

// encodeFrame encodes the message m stored as sequence number seq at time at.
func encodeFrame(seq uint64, m Message, at time.Time) (*Frame, error) {
	wire, err := sse.AppendEvent(make([]byte, 0, len(m.Data)+len(m.Type)+48), sse.Event{
		ID:   FormatID(seq),
		Type: m.Type,
		Data: string(m.Data),
	})
	if err != nil {
		return nil, fmt.Errorf("encode %s event for topic %q: %w", m.Type, m.Topic, err)
	}
	return &Frame{seq: seq, topic: m.Topic, wire: wire, at: at}, nil
}

// maxFrameSize returns the most bytes the frame of m can take on the wire:
// that of its id at its longest, MaxIDLen digits.
func maxFrameSize(m Message) int {
	return len("id: ") + MaxIDLen + 1 + sse.EventLen(sse.Event{Type: m.Type, Data: string(m.Data)})
}

// frameSizeBound returns a bound of maxFrameSize(m) found without reading
// the data: every byte of it a line of its own.
func frameSizeBound(m Message) int {
	return len("id: ") + MaxIDLen + 1 + len("event: ") + len(m.Type) + 1 + (len("data: ")+1)*(len(m.Data)+1) + 1
}
