package load

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// Result is what a run measured. Durations are in nanoseconds in JSON.
type Result struct {
	// Streams is how many streams the run was to open; Connected how many it
	// did. ConnectFailed is the rest.
	Streams       int `json:"streams"`
	Connected     int `json:"connected"`
	ConnectFailed int `json:"connect_failed"`
	// ConnectTime is how long opening all the streams took; Connect the
	// distribution of each stream's time from dial to the answer's header.
	ConnectTime time.Duration `json:"connect_time_ns"`
	Connect     Latency       `json:"connect"`
	// Published is how many probes the server accepted, in Requests
	// requests.
	Published int64 `json:"published"`
	Requests  int64 `json:"requests"`
	// Expected is Published for each stream that connected. Delivered
	// counts every probe that arrived, duplicates included; Lost those
	// expected that never did; Duplicated those that came again;
	// OutOfOrder those that came after a later one. Other counts events
	// that were not probes.
	Expected   int64 `json:"expected"`
	Delivered  int64 `json:"delivered"`
	Lost       int64 `json:"lost"`
	Duplicated int64 `json:"duplicated"`
	OutOfOrder int64 `json:"out_of_order"`
	Other      int64 `json:"other"`
	// StreamsEnded counts the streams that ended before the run did.
	StreamsEnded int `json:"streams_ended"`
	// Elapsed runs from the first publish to the last delivery;
	// EventsPerSecond is Delivered over it.
	Elapsed         time.Duration `json:"elapsed_ns"`
	EventsPerSecond float64       `json:"events_per_second"`
	// Latency runs from the probe's stamp, when its request was built, to
	// the client's read of it.
	Latency Latency `json:"latency"`
	// ServerPID is the server's process, 0 when unknown; Server says how it
	// was found, or why not.
	ServerPID int    `json:"server_pid"`
	Server    string `json:"server"`
	// RSSBefore, RSSIdle and RSSAfter are the server's resident memory
	// before the streams opened, once they were open and idle, and at the
	// end, in bytes; IdlePerStream is (RSSIdle-RSSBefore)/Connected.
	RSSBefore     int64 `json:"rss_before"`
	RSSIdle       int64 `json:"rss_idle"`
	RSSAfter      int64 `json:"rss_after"`
	IdlePerStream int64 `json:"idle_bytes_per_stream"`
	// ServerCPU and LoadCPU are the CPU time the server and the load
	// generator used from the first publish to the end; LoadCPUPerEvent is
	// the load generator's per probe delivered. ConnectCPU is the load
	// generator's while it opened the streams.
	ServerCPU       time.Duration `json:"server_cpu_ns"`
	LoadCPU         time.Duration `json:"load_cpu_ns"`
	ConnectCPU      time.Duration `json:"connect_cpu_ns"`
	LoadCPUPerEvent time.Duration `json:"load_cpu_per_event_ns"`
	// LoadRSS is the load generator's resident memory once the streams were
	// open, in bytes.
	LoadRSS int64 `json:"load_rss"`
	// Errors are the first errors of each kind: connecting, reading,
	// publishing.
	Errors []string `json:"errors,omitempty"`
	// Warnings say what could not be measured, such as the server's memory
	// on a system without /proc; they fail nothing.
	Warnings []string `json:"warnings,omitempty"`
}

// Latency is a distribution of durations.
type Latency struct {
	P50 time.Duration `json:"p50_ns"`
	P90 time.Duration `json:"p90_ns"`
	P99 time.Duration `json:"p99_ns"`
	Max time.Duration `json:"max_ns"`
}

// latencyOf returns the quantiles of h.
func latencyOf(h *Histogram) Latency {
	return Latency{P50: h.Quantile(0.5), P90: h.Quantile(0.9), P99: h.Quantile(0.99), Max: h.Max()}
}

// WriteTable writes r as a table of two columns, for people.
func (r *Result) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(name, format string, args ...any) {
		fmt.Fprintf(tw, "%s\t"+format+"\n", append([]any{name}, args...)...)
	}
	row("streams", "%d connected of %d (%d failed) in %v", r.Connected, r.Streams, r.ConnectFailed, r.ConnectTime.Round(time.Millisecond))
	row("connect", "p50 %v  p99 %v  max %v", ms(r.Connect.P50), ms(r.Connect.P99), ms(r.Connect.Max))
	row("published", "%d probes in %d requests", r.Published, r.Requests)
	row("delivered", "%d of %d expected in %v: %.0f events/s", r.Delivered, r.Expected, r.Elapsed.Round(time.Millisecond), r.EventsPerSecond)
	row("latency", "p50 %v  p90 %v  p99 %v  max %v", ms(r.Latency.P50), ms(r.Latency.P90), ms(r.Latency.P99), ms(r.Latency.Max))
	row("lost", "%d", r.Lost)
	row("duplicated", "%d", r.Duplicated)
	row("out of order", "%d", r.OutOfOrder)
	row("other events", "%d", r.Other)
	row("streams ended early", "%d", r.StreamsEnded)
	row("server", "%s", r.Server)
	if r.ServerPID != 0 {
		row("server memory", "%s before, %s idle (%d B a stream), %s after", mib(r.RSSBefore), mib(r.RSSIdle), r.IdlePerStream, mib(r.RSSAfter))
		row("server CPU", "%v while publishing", r.ServerCPU.Round(time.Millisecond))
	}
	row("load generator", "%v CPU while publishing (%d ns a delivered event), %v connecting, %s resident", r.LoadCPU.Round(time.Millisecond), r.LoadCPUPerEvent.Nanoseconds(), r.ConnectCPU.Round(time.Millisecond), mib(r.LoadRSS))
	for _, e := range r.Errors {
		row("error", "%s", e)
	}
	for _, w := range r.Warnings {
		row("warning", "%s", w)
	}
	return tw.Flush()
}

// ms formats d in milliseconds, to the microsecond.
func ms(d time.Duration) string { return fmt.Sprintf("%.3fms", float64(d)/float64(time.Millisecond)) }

// mib formats n bytes in MiB.
func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
