//go:build !(js && wasm)

package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/engine"
)

// The bounds of a batch: the server's limit on a publish body, and the most
// events a JetStream atomic batch holds (NATS's default), beyond which a
// server on NATS answers 413.
const (
	maxBatchEvents = 1000
	maxBatchBytes  = server.DefaultMaxPublishBytes
)

// line is a line of the input, numbered from 1, or, with err set, the end of
// the input: io.EOF or what stopped the reading.
type line struct {
	n    int
	text []byte
	err  error
}

// stream publishes the events of an input in batches.
type stream struct {
	cfg     publishConfig
	out     io.Writer
	keys    string // the start of each batch's Idempotency-Key
	sent    int    // batches sent, for their keys
	pending batch
	// due fires when the first line of pending has waited cfg.flushAfter;
	// nil when nothing is pending.
	due <-chan time.Time
}

// batch is events read and not yet sent, with the number of the line of each.
type batch struct {
	lines  []int
	events [][]byte
	size   int // the bytes of the JSON array of events
}

// publishStream publishes the events of in, one JSON object per line, blank
// lines skipped, in batches of at most maxBatchEvents and maxBatchBytes. A
// batch goes once full, once its first line has waited cfg.flushAfter, and at
// the end of in. The ids are printed to out as each batch is stored. A line
// that is not an event stops it after the lines before it were published.
// When ctx ends, it publishes what it has read and stops.
func publishStream(ctx context.Context, cfg publishConfig, in io.Reader, out io.Writer) error {
	lines := make(chan line)
	done := make(chan struct{})
	defer close(done)
	go readLines(in, lines, done)
	s := &stream{cfg: cfg, out: out, keys: "herald-publish-" + rand.Text()}
	for {
		if ctx.Err() != nil {
			return s.flush(ctx)
		}
		var err error
		select {
		case l := <-lines:
			if l.err != nil {
				return s.end(ctx, l.err)
			}
			err = s.add(ctx, l)
		case <-s.due:
			err = s.flush(ctx)
		case <-ctx.Done():
		}
		if err != nil {
			return err
		}
	}
}

// readLines sends the lines of r to out, and then the end of r, until done
// closes.
func readLines(r io.Reader, out chan<- line, done <-chan struct{}) {
	send := func(l line) bool {
		select {
		case out <- l:
			return true
		case <-done:
			return false
		}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxBatchBytes)
	n := 0
	for sc.Scan() {
		n++
		if !send(line{n: n, text: bytes.Clone(sc.Bytes())}) {
			return
		}
	}
	err := sc.Err()
	switch {
	case err == nil:
		err = io.EOF
	case errors.Is(err, bufio.ErrTooLong):
		err = fmt.Errorf("line %d is over %d bytes, the most a publish may be", n+1, maxBatchBytes)
	default:
		err = fmt.Errorf("read line %d: %w", n+1, err)
	}
	send(line{n: n + 1, err: err})
}

// end publishes what is pending at the end of the input, whose cause is
// io.EOF or the error that stopped the reading.
func (s *stream) end(ctx context.Context, cause error) error {
	if err := s.flush(ctx); err != nil {
		return err
	}
	if errors.Is(cause, io.EOF) {
		return nil
	}
	return cause
}

// add adds the event of l to the pending batch, sending the batch when the
// event does not fit in it or fills it. Blank lines are skipped. An event
// that is not valid stops the stream, after what is pending is sent.
func (s *stream) add(ctx context.Context, l line) error {
	text := bytes.TrimSpace(l.text)
	if len(text) == 0 {
		return nil
	}
	if err := checkEvent(text); err != nil {
		return errors.Join(s.flush(ctx), fmt.Errorf("line %d %w", l.n, err))
	}
	if len(s.pending.events) > 0 && s.pending.size+1+len(text) > maxBatchBytes {
		if err := s.flush(ctx); err != nil {
			return err
		}
	}
	if len(s.pending.events) == 0 {
		s.due = time.After(s.cfg.flushAfter)
	}
	s.pending.add(l.n, text)
	if len(s.pending.events) == maxBatchEvents {
		return s.flush(ctx)
	}
	return nil
}

// add appends an event, the text of line n.
func (b *batch) add(n int, text []byte) {
	if len(b.events) == 0 {
		b.size = len("[]")
	} else {
		b.size += len(",")
	}
	b.size += len(text)
	b.lines = append(b.lines, n)
	b.events = append(b.events, text)
}

// flush sends the pending batch, if any.
func (s *stream) flush(ctx context.Context) error {
	b := s.pending
	s.pending, s.due = batch{}, nil
	if len(b.events) == 0 {
		return nil
	}
	return s.send(ctx, b.lines, b.events)
}

// checkEvent says what is wrong with text as an event of POST /publish, as
// the end of a sentence starting with its line number. The server checks
// the rest: the type and the data against its schema, and who may publish.
func checkEvent(text []byte) error {
	if !json.Valid(text) {
		var v any
		return fmt.Errorf("is not valid JSON: %w", json.Unmarshal(text, &v))
	}
	if text[0] != '{' {
		return fmt.Errorf("is not a JSON object but %.40s", text)
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	var ev server.PublishRequest
	if err := dec.Decode(&ev); err != nil {
		return fmt.Errorf("is not an event: %w", err)
	}
	if err := engine.ValidateTopic(ev.Topic); err != nil {
		return fmt.Errorf("has a bad topic: %w", err)
	}
	switch {
	case ev.Type == "":
		return errors.New("has no type")
	case len(ev.Data) == 0:
		return errors.New("has no data")
	}
	return nil
}
