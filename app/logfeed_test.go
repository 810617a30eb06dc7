//go:build !(js && wasm)

package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/internal/testlog"
	"github.com/heraldhq/herald/server"
)

// queued returns the lines the feed has queued, without waiting.
func queued(f *logFeed) []events.LogLine {
	var out []events.LogLine
	for {
		select {
		case line := <-f.queue.lines:
			out = append(out, line)
		default:
			return out
		}
	}
}

func TestTheLogFeedQueuesEachRecordAsALine(t *testing.T) {
	cases := []struct {
		name      string
		log       func(*slog.Logger)
		wantLevel string
		wantText  string
	}{
		{"a message alone", func(l *slog.Logger) { l.Info("herald listening") }, "info", "herald listening"},
		{"attributes as key=value", func(l *slog.Logger) { l.Warn("request refused", "status", 401, "path", "/events") }, "warn", "request refused status=401 path=/events"},
		{"a value with a space is quoted", func(l *slog.Logger) { l.Error("failed", "err", errors.New("no such file")) }, "error", `failed err="no such file"`},
		{"debug records keep their level", func(l *slog.Logger) { l.Debug("detail", "n", 1) }, "debug", "detail n=1"},
		{"a logger's own attributes come first", func(l *slog.Logger) { l.With("job", "ab12").Info("step", "done", 3) }, "info", "step job=ab12 done=3"},
		{"groups prefix their keys", func(l *slog.Logger) { l.WithGroup("tls").Info("reloaded", slog.Group("cert", "file", "a.pem")) }, "info", "reloaded tls.cert.file=a.pem"},
		{"client addresses are left out", func(l *slog.Logger) {
			l.Info("request refused", "status", 401, "client", "192.0.2.7:5000", "proxy", "10.0.0.1:80")
		}, "info", "request refused status=401"},
		{"a long text is cut", func(l *slog.Logger) { l.Info(strings.Repeat("x", 2*logFeedMaxText)) }, "info", strings.Repeat("x", logFeedMaxText) + "…"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			feed := newLogFeed(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c.log(slog.New(feed))
			lines := queued(feed)
			if len(lines) != 1 || lines[0].Level != c.wantLevel || lines[0].Text != c.wantText || lines[0].At.IsZero() {
				t.Fatalf("queued %+v, want one %s line %q", lines, c.wantLevel, c.wantText)
			}
			if !strings.Contains(out.String(), "level="+strings.ToUpper(c.wantLevel)) {
				t.Errorf("the wrapped handler wrote %q, not the record", out.String())
			}
		})
	}
}

func TestTheLogFeedWritesWhatTheWrappedHandlerWouldAlone(t *testing.T) {
	var alone, wrapped bytes.Buffer
	opts := &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}
	for _, l := range []*slog.Logger{slog.New(slog.NewTextHandler(&alone, opts)), slog.New(newLogFeed(slog.NewTextHandler(&wrapped, opts)))} {
		l.With("a", 1).WithGroup("g").Info("one", "b", "two words")
		l.Debug("not enabled")
	}
	if alone.String() != wrapped.String() || alone.Len() == 0 {
		t.Errorf("wrapped, the handler wrote %q; alone %q", wrapped.String(), alone.String())
	}
}

func TestTheLogFeedDropsAndCountsPastItsBoundWithoutWaiting(t *testing.T) {
	feed := newLogFeed(slog.DiscardHandler)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const records = 3 * logFeedQueue
	start := time.Now()
	for i := range records {
		r := slog.NewRecord(at, slog.LevelInfo, "burst", 0)
		r.AddAttrs(slog.Int("i", i))
		if err := feed.Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("%d records with nobody publishing took %v", records, took)
	}
	lines := queued(feed)
	if len(lines) != logFeedBurst {
		t.Errorf("queued %d lines of a burst of %d in one instant, want the budget's %d", len(lines), records, logFeedBurst)
	}
	if dropped := feed.queue.dropped.Load(); dropped != records-uint64(len(lines)) {
		t.Errorf("counted %d dropped, want %d", dropped, records-len(lines))
	}

	r := slog.NewRecord(at.Add(time.Second), slog.LevelInfo, "a second later", 0)
	_ = feed.Handle(context.Background(), r)
	if lines := queued(feed); len(lines) != 1 {
		t.Errorf("a second later the feed queued %d lines, want the one record", len(lines))
	}
}

func TestTheLogFeedReportsItsOwnFailuresOutsideItself(t *testing.T) {
	var stderr testlog.Buffer
	feed := newLogFeed(slog.NewTextHandler(&stderr, nil))
	log := slog.New(feed)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		// As serve does: failures go to the logger of the wrapped handler.
		feed.run(ctx, func(events.LogLine) error { return errors.New("broker down") }, slog.New(feed.next))
	}()
	log.Info("one")
	log.Info("two")
	waitFor(t, 5*time.Second, "two failures reported", func() bool { return strings.Count(stderr.String(), "broker down") == 2 })
	cancel()
	<-done
	if lines := queued(feed); len(lines) != 0 {
		t.Errorf("reporting its failures queued %d lines into the feed: %+v", len(lines), lines)
	}
}

func TestTheLogFeedPublishesTheServersRefusalsAndItsDrops(t *testing.T) {
	feed := newLogFeed(slog.NewTextHandler(io.Discard, nil))
	srv, err := server.New(server.Config{Schema: events.Schema, Authorizer: demoPolicy{}, Logger: slog.New(feed)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Drain(); ts.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go feed.run(ctx, func(line events.LogLine) error {
		_, err := server.Publish(srv, events.LogsTopic, events.LogEvent, line)
		return err
	}, slog.New(slog.DiscardHandler))

	sctx, stop := context.WithTimeout(ctx, 10*time.Second)
	defer stop()
	req, _ := http.NewRequestWithContext(sctx, "GET", ts.URL+"/events?topic="+events.LogsTopic, nil)
	stream, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	lines := logLines(t, stream)

	refused, _ := http.Get(ts.URL + "/events?topic=secret")
	refused.Body.Close()
	if line, ok := <-lines; !ok || line.Level != "info" || !strings.HasPrefix(line.Text, "request refused status=401 method=GET path=/events") {
		t.Errorf("after a refusal the logs topic carried %+v", line)
	}

	for range logFeedBurst + 10 {
		feed.queue.offer(time.Now(), func() events.LogLine { return events.LogLine{Level: "debug", Text: "filler"} })
	}
	for line := range lines {
		if line.Level == "warn" {
			if !strings.Contains(line.Text, "log feed dropped") {
				t.Errorf("the warning is %q", line.Text)
			}
			return
		}
	}
	t.Error("the stream ended before the feed reported its drops")
}

// logLines decodes the log events of stream, until it ends.
func logLines(t *testing.T, stream *http.Response) <-chan events.LogLine {
	out := make(chan events.LogLine, 1000)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(stream.Body)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			line, err := events.LogEvent.Decode([]byte(data))
			if err != nil {
				t.Errorf("a log event that does not decode: %v", err)
				return
			}
			out <- line
		}
	}()
	return out
}
