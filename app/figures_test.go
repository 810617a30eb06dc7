//go:build !(js && wasm)

package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
)

// latencyCounts returns histogram counts with n samples in bucket i for each
// pair i, n.
func latencyCounts(pairs ...int) []uint64 {
	counts := make([]uint64, len(server.LatencyBuckets)+1)
	for i := 0; i+1 < len(pairs); i += 2 {
		counts[pairs[i]] = uint64(pairs[i+1])
	}
	return counts
}

func TestLatencyQuantilesComeFromTheHistogramBuckets(t *testing.T) {
	cases := []struct {
		name   string
		counts []uint64
		q      float64
		want   time.Duration
		ok     bool
	}{
		{"no samples tell nothing", latencyCounts(), 0.5, 0, false},
		{"one bucket's median is halfway up it", latencyCounts(0, 10), 0.5, 250 * time.Microsecond, true},
		{"the median falls in the bucket that holds it", latencyCounts(0, 2, 4, 8), 0.5, 6875 * time.Microsecond, true},
		{"the p99 of a tail falls in the tail's bucket", latencyCounts(0, 99, 7, 1), 0.99, 500 * time.Microsecond, true},
		{"samples above every bucket count as the top bound", latencyCounts(len(server.LatencyBuckets), 3), 0.99, 10 * time.Second, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := latencyQuantile(c.counts, c.q)
			if got != c.want || ok != c.ok {
				t.Errorf("quantile %v of %v = %v, %v; want %v, %v", c.q, c.counts, got, ok, c.want, c.ok)
			}
		})
	}
}

func TestFiguresBetweenTwoReadings(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(d time.Duration, streams int64, delivered uint64, latency []uint64, cpu time.Duration, resident uint64) reading {
		return reading{
			at:    t0.Add(d),
			stats: server.Stats{Streams: streams, Delivered: delivered, Latency: server.Latency{Counts: latency}},
			proc:  processUse{cpu: cpu, resident: resident},
		}
	}
	unreadable := at(2*time.Second, 3, 50, latencyCounts(), 0, 0)
	unreadable.procErr = errors.New("no /proc")
	cases := []struct {
		name      string
		prev, cur reading
		want      map[string]float64
	}{
		{
			name: "every figure of two seconds of work",
			prev: at(0, 1, 10, latencyCounts(0, 4), time.Second, 0),
			cur:  at(2*time.Second, 3, 50, latencyCounts(0, 4, 4, 10), 1500*time.Millisecond, 64<<20),
			want: map[string]float64{
				figureStreams: 3, figureDelivered: 20, figureP50: 7.5, figureP99: 9.95, figureCPU: 25, figureMemory: 64,
			},
		},
		{
			name: "no latency when nothing was written",
			prev: at(0, 1, 10, latencyCounts(0, 4), 0, 0),
			cur:  at(time.Second, 1, 10, latencyCounts(0, 4), 0, 1<<20),
			want: map[string]float64{figureStreams: 1, figureDelivered: 0, figureCPU: 0, figureMemory: 1},
		},
		{
			name: "no process figures when they cannot be read",
			prev: at(0, 1, 10, latencyCounts(), 0, 0),
			cur:  unreadable,
			want: map[string]float64{figureStreams: 3, figureDelivered: 20},
		},
		{
			name: "nothing from readings of one instant",
			prev: at(time.Second, 1, 10, latencyCounts(), 0, 0),
			cur:  at(time.Second, 1, 10, latencyCounts(), 0, 0),
			want: map[string]float64{},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := figuresBetween(c.prev, c.cur)
			order := []string{figureStreams, figureDelivered, figureCPU, figureMemory, figureP50, figureP99}
			for i := 1; i < len(got); i++ {
				if slices.Index(order, got[i-1].Name) >= slices.Index(order, got[i].Name) {
					t.Errorf("figure %s comes before %s; the order is %v", got[i-1].Name, got[i].Name, order)
				}
			}
			if len(got) != len(c.want) {
				t.Errorf("got %d figures %v, want %d", len(got), got, len(c.want))
			}
			for _, m := range got {
				want, ok := c.want[m.Name]
				if !ok || m.Value != want || !m.At.Equal(c.cur.at) {
					t.Errorf("figure %s = %v at %v; want %v (listed: %v) at %v", m.Name, m.Value, m.At, want, ok, c.cur.at)
				}
			}
		})
	}
}

func TestAReadingSeesTheServersStreamsAndDeliveries(t *testing.T) {
	srv, err := server.New(server.Config{Schema: events.Schema})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Drain(); ts.Close() })
	before := takeReading(srv, time.Now())

	resp, err := http.Get(ts.URL + "/events?topic=" + events.MetricsTopic)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	for i := range 3 {
		if _, err := server.Publish(srv, events.MetricsTopic, events.MetricEvent, events.Metric{Name: "x", Value: float64(i)}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 5*time.Second, "three deliveries", func() bool { return srv.Stats().Delivered >= before.stats.Delivered+3 })
	after := takeReading(srv, time.Now())

	got := map[string]float64{}
	for _, m := range figuresBetween(before, after) {
		got[m.Name] = m.Value
	}
	if got[figureStreams] != 1 {
		t.Errorf("streams figure %v with one stream open", got[figureStreams])
	}
	if got[figureDelivered] <= 0 {
		t.Errorf("delivered figure %v after three deliveries", got[figureDelivered])
	}
	if _, ok := got[figureP99]; !ok {
		t.Errorf("no latency figure after three deliveries: %v", got)
	}
	if linux := runtime.GOOS == "linux"; linux != (after.procErr == nil) || linux != (got[figureMemory] > 0) {
		t.Errorf("on %s the process's use reads as %+v, error %v; memory figure %v", runtime.GOOS, after.proc, after.procErr, got[figureMemory])
	}
}

// waitFor polls cond until it holds, or fails the test after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
