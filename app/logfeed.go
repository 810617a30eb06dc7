//go:build !(js && wasm)

package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"golang.org/x/time/rate"

	"github.com/heraldhq/herald/app/events"
)

// The bounds of the log feed: how many records it publishes a second, at
// most at once, how many wait to be published, and how long a line may be.
const (
	logFeedPerSecond = 50
	logFeedBurst     = 100
	logFeedQueue     = 256
	logFeedMaxText   = 1000
)

// logFeed is a slog.Handler that hands every record to the handler it wraps,
// unchanged, and queues a copy to be published as a log event on the logs
// topic. Handle never publishes and never waits: past the rate bound, or
// with the queue full, it drops the copy and counts it. The publishing is
// done by run, which reports its own failures to the wrapped handler only,
// so that publishing never logs into the feed.
type logFeed struct {
	next   slog.Handler
	queue  *logQueue
	attrs  string // the attributes of WithAttrs, formatted
	prefix string // the groups of WithGroup, each followed by "."
}

// logQueue is what every handler derived from one logFeed shares.
type logQueue struct {
	lines   chan events.LogLine
	budget  *rate.Limiter
	dropped atomic.Uint64
}

// newLogFeed returns a log feed that wraps next.
func newLogFeed(next slog.Handler) *logFeed {
	return &logFeed{next: next, queue: &logQueue{
		lines:  make(chan events.LogLine, logFeedQueue),
		budget: rate.NewLimiter(logFeedPerSecond, logFeedBurst),
	}}
}

// Enabled reports whether the wrapped handler handles level: the feed
// publishes what it logs.
func (h *logFeed) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

// Handle passes r to the wrapped handler and queues its copy.
func (h *logFeed) Handle(ctx context.Context, r slog.Record) error {
	err := h.next.Handle(ctx, r)
	h.queue.offer(r.Time, func() events.LogLine { return h.line(r) })
	return err
}

// WithAttrs returns a feed whose records carry attrs too.
func (h *logFeed) WithAttrs(attrs []slog.Attr) slog.Handler {
	var b strings.Builder
	b.WriteString(h.attrs)
	for _, a := range attrs {
		appendAttr(&b, h.prefix, a)
	}
	return &logFeed{next: h.next.WithAttrs(attrs), queue: h.queue, attrs: b.String(), prefix: h.prefix}
}

// WithGroup returns a feed whose later attributes are in the group name.
func (h *logFeed) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return &logFeed{next: h.next.WithGroup(name), queue: h.queue, attrs: h.attrs, prefix: h.prefix + name + "."}
}

// line returns the log event of r: its level, and its message followed by
// its attributes as key=value.
func (h *logFeed) line(r slog.Record) events.LogLine {
	var b strings.Builder
	b.WriteString(r.Message)
	b.WriteString(h.attrs)
	r.Attrs(func(a slog.Attr) bool {
		appendAttr(&b, h.prefix, a)
		return b.Len() <= logFeedMaxText
	})
	text := b.String()
	if len(text) > logFeedMaxText {
		text = strings.ToValidUTF8(text[:logFeedMaxText], "") + "…"
	}
	return events.LogLine{At: r.Time, Level: levelName(r.Level), Text: text}
}

// offer queues the line that line makes, unless the budget is spent or the
// queue is full: then it counts the line dropped.
func (q *logQueue) offer(at time.Time, line func() events.LogLine) {
	if at.IsZero() {
		at = time.Now()
	}
	if !q.budget.AllowN(at, 1) {
		q.dropped.Add(1)
		return
	}
	select {
	case q.lines <- line():
	default:
		q.dropped.Add(1)
	}
}

// run publishes the queued lines with publish until ctx is done, and every
// second the number of lines dropped since the last report, as a warning.
// A failure to publish goes to report, never to the feed.
func (h *logFeed) run(ctx context.Context, publish func(events.LogLine) error, report *slog.Logger) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		var line events.LogLine
		select {
		case <-ctx.Done():
			return
		case line = <-h.queue.lines:
		case now := <-tick.C:
			n := h.queue.dropped.Swap(0)
			if n == 0 {
				continue
			}
			line = events.LogLine{At: now, Level: "warn", Text: fmt.Sprintf("log feed dropped %d records over its bound of %d a second", n, logFeedPerSecond)}
		}
		if err := publish(line); err != nil {
			report.Warn("log feed: publish a log line", "err", err)
		}
	}
}

// levelName returns the log tail's name of level: debug, info, warn or
// error.
func levelName(level slog.Level) string {
	switch {
	case level < slog.LevelInfo:
		return "debug"
	case level < slog.LevelWarn:
		return "info"
	case level < slog.LevelError:
		return "warn"
	}
	return "error"
}

// appendAttr appends " key=value" to b, with the groups of prefix, and each
// attribute of a group under the group's name.
func appendAttr(b *strings.Builder, prefix string, a slog.Attr) {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		if a.Key != "" {
			prefix += a.Key + "."
		}
		for _, g := range v.Group() {
			appendAttr(b, prefix, g)
		}
		return
	}
	if a.Key == "" || private[prefix+a.Key] {
		return
	}
	b.WriteByte(' ')
	b.WriteString(prefix + a.Key)
	b.WriteByte('=')
	b.WriteString(quoteIfNeeded(v.String()))
}

// private are the attributes the feed leaves out: the log tail is public,
// and a client's address is not for everyone to read.
var private = map[string]bool{"client": true, "proxy": true}

// quoteIfNeeded quotes s when it is empty or holds a space, a quote, an
// equals sign or a character that does not print.
func quoteIfNeeded(s string) string {
	if s == "" || strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '"' || r == '=' || !unicode.IsPrint(r)
	}) >= 0 {
		return strconv.Quote(s)
	}
	return s
}
