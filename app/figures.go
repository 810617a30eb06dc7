//go:build !(js && wasm)

package main

import (
	"math"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
)

// The names of the figures the dashboard shows, in the order they are
// published, so that its cards keep this order. The latency comes last: it
// is left out while nothing is written, and the others must not wait for it.
const (
	figureStreams   = "streams"
	figureDelivered = "delivered"
	figureCPU       = "cpu"
	figureMemory    = "memory"
	figureP50       = "latency-p50"
	figureP99       = "latency-p99"
)

// reading is one look at the server's counters and the process's use of
// the machine.
type reading struct {
	at    time.Time
	stats server.Stats
	proc  processUse
	// procErr is why proc could not be read; nil when it was.
	procErr error
}

// takeReading reads srv's counters and the process's use at now.
func takeReading(srv *server.Server, now time.Time) reading {
	proc, err := readProcessUse()
	return reading{at: now, stats: srv.Stats(), proc: proc, procErr: err}
}

// figuresBetween returns the figures of the interval from prev to cur: the
// streams open at cur, the events delivered per second, the share of a CPU
// the process used, its resident memory, and the p50 and p99 of the latency
// of the writes made meanwhile. A figure that cannot be told is left out:
// the latency when nothing was written, the process's when it cannot be
// read.
func figuresBetween(prev, cur reading) []events.Metric {
	elapsed := cur.at.Sub(prev.at).Seconds()
	if elapsed <= 0 {
		return nil
	}
	figure := func(name string, value float64, unit string) events.Metric {
		return events.Metric{Name: name, Value: round2(value), Unit: unit, At: cur.at}
	}
	out := []events.Metric{
		figure(figureStreams, float64(cur.stats.Streams), ""),
		figure(figureDelivered, float64(cur.stats.Delivered-prev.stats.Delivered)/elapsed, "/s"),
	}
	if prev.procErr == nil && cur.procErr == nil {
		out = append(out, figure(figureCPU, 100*(cur.proc.cpu-prev.proc.cpu).Seconds()/elapsed, "%"))
	}
	if cur.procErr == nil {
		out = append(out, figure(figureMemory, float64(cur.proc.resident)/(1<<20), "MiB"))
	}
	window := latencyDelta(prev.stats.Latency, cur.stats.Latency)
	if p50, ok := latencyQuantile(window, 0.5); ok {
		p99, _ := latencyQuantile(window, 0.99)
		out = append(out, figure(figureP50, millis(p50), "ms"), figure(figureP99, millis(p99), "ms"))
	}
	return out
}

// latencyDelta returns the counts of the samples cur holds and prev does
// not, bucket by bucket.
func latencyDelta(prev, cur server.Latency) []uint64 {
	out := make([]uint64, len(cur.Counts))
	for i, n := range cur.Counts {
		if i < len(prev.Counts) && prev.Counts[i] <= n {
			n -= prev.Counts[i]
		}
		out[i] = n
	}
	return out
}

// latencyQuantile estimates the q-quantile of the samples counted in
// counts, buckets bounded by server.LatencyBuckets, interpolating linearly
// within the bucket it falls in. Samples above every bound count as the top
// bound. It is false when there are no samples.
func latencyQuantile(counts []uint64, q float64) (time.Duration, bool) {
	var total uint64
	for _, n := range counts {
		total += n
	}
	if total == 0 {
		return 0, false
	}
	bounds := server.LatencyBuckets
	rank := q * float64(total)
	var below uint64
	for i, n := range counts {
		if n == 0 || float64(below+n) < rank {
			below += n
			continue
		}
		if i >= len(bounds) {
			break
		}
		lower := time.Duration(0)
		if i > 0 {
			lower = bounds[i-1]
		}
		share := (rank - float64(below)) / float64(n)
		return lower + time.Duration(share*float64(bounds[i]-lower)), true
	}
	return bounds[len(bounds)-1], true
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// round2 rounds v to two decimals, as the dashboard shows it.
func round2(v float64) float64 { return math.Round(v*100) / 100 }
