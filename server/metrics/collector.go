// Package metrics exposes a Herald server's counters to Prometheus. The
// server keeps plain counters of its own; this package reads them when
// scraped, so the hot path pays nothing for Prometheus.
package metrics

import (
	"github.com/heraldhq/herald/server"
	"github.com/prometheus/client_golang/prometheus"
)

// Collector is a prometheus.Collector of one server's metrics.
type Collector struct {
	srv *server.Server
}

// NewCollector returns the collector of srv's metrics. Register it with a
// prometheus.Registry.
func NewCollector(srv *server.Server) *Collector { return &Collector{srv: srv} }

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc("herald_"+name, help, labels, nil)
}

var (
	streamsDesc   = desc("streams", "Event streams open now, by topic class (the topic's first segment).", "class")
	openedDesc    = desc("streams_opened_total", "Event streams opened.")
	closedDesc    = desc("streams_closed_total", "Event streams closed, by why.", "reason")
	publishedDesc = desc("events_published_total", "Events published.")
	deliveredDesc = desc("events_delivered_total", "Events written to streams, replays included.")
	bytesDesc     = desc("written_bytes_total", "Bytes written to event streams, as sent: compressed, on gzip streams.")
	rawBytesDesc  = desc("written_uncompressed_bytes_total", "Bytes written to event streams, counted before compression: less herald_written_bytes_total, what gzip saved.")
	latencyDesc   = desc("publish_to_write_seconds", "Delay from an event's publication to its write on a stream, one sample per write (its oldest event).")
	replayedDesc  = desc("events_replayed_total", "Events sent from history to resuming clients.")
	gapsDesc      = desc("gaps_total", "herald.gap events sent: resumes from ids older than the history, or unknown.")
	historyDesc   = desc("history_events", "Events held in the history.")
	historyBDesc  = desc("history_bytes", "Bytes of events held in the history.")
	oldestDesc    = desc("history_oldest_id", "Id of the oldest event held in the history, 0 when empty.")
	refusedDesc   = desc("requests_refused_total", "Requests refused, by reason.", "reason")
)

// Describe sends the descriptions of every metric.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{streamsDesc, openedDesc, closedDesc, publishedDesc, deliveredDesc,
		bytesDesc, rawBytesDesc, latencyDesc, replayedDesc, gapsDesc, historyDesc, historyBDesc, oldestDesc, refusedDesc} {
		ch <- d
	}
}

// Collect sends the current value of every metric.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	st := c.srv.Stats()
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	for class, n := range st.StreamsByClass {
		gauge(streamsDesc, float64(n), class)
	}
	counter(openedDesc, st.Opened)
	for reason, n := range map[string]uint64{
		"client_gone": st.Closed.ClientGone, "slow_consumer": st.Closed.SlowConsumer,
		"write_timeout": st.Closed.WriteTimeout, "lifetime": st.Closed.Lifetime, "shutdown": st.Closed.Shutdown,
		"session_ended": st.Closed.SessionEnded,
	} {
		counter(closedDesc, n, reason)
	}
	counter(publishedDesc, st.Published)
	counter(deliveredDesc, st.Delivered)
	counter(bytesDesc, st.BytesWritten)
	counter(rawBytesDesc, st.BytesUncompressed)
	ch <- latencyHistogram(st.Latency)
	counter(replayedDesc, st.Replayed)
	counter(gapsDesc, st.Gaps)
	gauge(historyDesc, float64(st.History.Events))
	gauge(historyBDesc, float64(st.History.Bytes))
	gauge(oldestDesc, float64(st.History.OldestID))
	for reason, n := range map[string]uint64{
		"auth": st.Refused.Auth, "origin": st.Refused.Origin, "limit": st.Refused.Limit, "bad_input": st.Refused.BadInput,
		"unavailable": st.Refused.Unavailable, "draining": st.Refused.Draining, "internal": st.Refused.Internal,
	} {
		counter(refusedDesc, n, reason)
	}
}

// latencyHistogram turns the server's latency counts into a Prometheus
// histogram, whose buckets are cumulative.
func latencyHistogram(l server.Latency) prometheus.Metric {
	buckets := make(map[float64]uint64, len(server.LatencyBuckets))
	var total uint64
	for i, bound := range server.LatencyBuckets {
		total += l.Counts[i]
		buckets[bound.Seconds()] = total
	}
	total += l.Counts[len(server.LatencyBuckets)]
	return prometheus.MustNewConstHistogram(latencyDesc, total, l.Sum.Seconds(), buckets)
}
