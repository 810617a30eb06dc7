package sse

import "errors"

// WithComments makes the Reader call fn with the text of each comment line
// (a line that starts with a colon, such as a heartbeat), less the colon and
// one space after it, as it reads the line: before Next returns the event that
// follows. A comment longer than the size limit is dropped unread, as without
// the option, so that it holds no more memory than a field does.
func WithComments(fn func(text string)) ReaderOption {
	return func(r *Reader) { r.onComment = fn }
}

// WithOversizedDropped makes an event over the size limit cost the stream that
// event only: Next returns an error that wraps ErrEventTooLarge as soon as the
// limit is passed, drops the rest of the event's data and type unread, and goes
// on with the next event when called again. The dropped event's id and retry
// fields still count, so the last event ID moves past it. A field value over
// the limit is dropped the same way. Without the option the first such error
// ends the stream.
func WithOversizedDropped() ReaderOption {
	return func(r *Reader) { r.dropOversized = true }
}

// streamError records err, returned by Next, as the end of the stream, unless
// it is an event over the limit that the Reader drops and reads on after.
func (r *Reader) streamError(err error) error {
	if r.dropOversized && errors.Is(err, ErrEventTooLarge) {
		r.dropping = true
		r.data = r.data[:0]
		r.typ = ""
		return err
	}
	r.fatal = err
	return err
}
