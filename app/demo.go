//go:build !(js && wasm)

package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
)

// figureEvery is how often the demo samples the server's figures.
const figureEvery = time.Second

// demoLogger returns the server's logger: base wrapped in a log feed when the
// demo is on, with the feed; base and nil when it is off.
func (c *config) demoLogger(base *slog.Logger) (*slog.Logger, *logFeed) {
	if !c.demo {
		return base, nil
	}
	feed := newLogFeed(base.Handler())
	return slog.New(feed), feed
}

// runDemo publishes the server's own live data until ctx is done, so that
// the page shows what the server is doing: its figures on the metrics topic,
// sampled every figureEvery, and the records of feed on the logs topic.
// report gets the demo's own failures; it must not write into feed.
func runDemo(ctx context.Context, srv *server.Server, feed *logFeed, report *slog.Logger) {
	go feed.run(ctx, func(line events.LogLine) error {
		_, err := server.Publish(srv, events.LogsTopic, events.LogEvent, line)
		return err
	}, report)
	publishFigures(ctx, srv, figureEvery, report)
}

// publishFigures publishes srv's figures on the metrics topic every every,
// until ctx is done.
func publishFigures(ctx context.Context, srv *server.Server, every time.Duration, report *slog.Logger) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	prev := takeReading(srv, time.Now())
	if prev.procErr != nil {
		report.Info("the dashboard shows no CPU or memory figures", "err", prev.procErr)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			cur := takeReading(srv, now)
			for _, m := range figuresBetween(prev, cur) {
				if _, err := server.Publish(srv, events.MetricsTopic, events.MetricEvent, m); err != nil {
					report.Warn("publish a figure", "figure", m.Name, "err", err)
					break
				}
			}
			prev = cur
		}
	}
}
