//go:build !(js && wasm)

package main

import (
	"context"
	"log/slog"
	"math"
	"runtime"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
)

// The demo's topics.
const (
	metricsTopic = "metrics"
	logsTopic    = "logs"
)

// runDemo publishes live data until ctx is done, so the page moves without
// any outside publisher: every second a few metrics on "metrics" and a log
// line on "logs".
func runDemo(ctx context.Context, srv *server.Server, log *slog.Logger) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	start := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			for _, m := range sampleMetrics(now, now.Sub(start)) {
				if _, err := server.Publish(srv, metricsTopic, events.MetricEvent, m); err != nil {
					log.Warn("demo publish", "topic", metricsTopic, "err", err)
					return
				}
			}
			line := events.LogLine{At: now, Level: "info", Text: "tick " + now.Format(time.TimeOnly)}
			if _, err := server.Publish(srv, logsTopic, events.LogEvent, line); err != nil {
				log.Warn("demo publish", "topic", logsTopic, "err", err)
				return
			}
		}
	}
}

// sampleMetrics returns the demo's metrics at now: the process's own figures
// and a wave that always moves.
func sampleMetrics(now time.Time, up time.Duration) []events.Metric {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	wave := 50 + 40*math.Sin(up.Seconds()/5)
	return []events.Metric{
		{Name: "load", Value: wave, Unit: "%", At: now},
		{Name: "heap", Value: float64(ms.HeapAlloc) / (1 << 20), Unit: "MiB", At: now},
		{Name: "goroutines", Value: float64(runtime.NumGoroutine()), Unit: "", At: now},
	}
}
