package server

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/heraldhq/herald/server/engine"
)

// Stats are a Server's counters since it started.
type Stats struct {
	// Streams is the number of streams open now.
	Streams int64
	// StreamsByClass counts the streams open now by topic class, the first
	// segment of a topic ("user" for "user/alice"): a stream reading several
	// classes counts in each. At most MaxClasses classes are told apart; the
	// others count as "other".
	StreamsByClass map[string]int64
	// Opened is the number of streams opened.
	Opened uint64
	// Closed counts the streams closed, by why.
	Closed ClosedStats
	// Published is the number of events published.
	Published uint64
	// Replayed is the number of events sent from history to resuming clients.
	Replayed uint64
	// Gaps is the number of herald.gap events sent.
	Gaps uint64
	// Delivered is the number of events written to streams, replays included.
	Delivered uint64
	// BytesWritten is the number of bytes written to streams, as sent:
	// compressed, on gzip streams.
	BytesWritten uint64
	// BytesUncompressed is what BytesWritten would be with no stream
	// compressed: BytesUncompressed - BytesWritten is what compression saved.
	BytesUncompressed uint64
	// Latency is the publish-to-write latency of live events.
	Latency Latency
	// Refused counts refused requests by reason.
	Refused RefusedStats
	// History is what the history holds now.
	History engine.HistoryStats
}

// RefusedStats counts refused requests by reason.
type RefusedStats struct {
	// Auth counts requests without the credentials or rights they need.
	Auth uint64
	// Origin counts browser requests from an origin that is not allowed.
	Origin uint64
	// Limit counts requests over a connection limit or a rate limit.
	Limit uint64
	// BadInput counts malformed or oversized requests.
	BadInput uint64
	// Unavailable counts requests refused while the broker could not be
	// reached.
	Unavailable uint64
	// Draining counts requests refused while the server shut down.
	Draining uint64
	// Internal counts requests the server failed to answer.
	Internal uint64
}

// ClosedStats counts closed streams by the reason they closed.
type ClosedStats struct {
	// ClientGone counts streams whose client went away or whose write failed.
	ClientGone uint64
	// SlowConsumer counts streams whose queue overflowed.
	SlowConsumer uint64
	// WriteTimeout counts streams whose client did not take a write in time.
	WriteTimeout uint64
	// Lifetime counts streams closed at their maximum lifetime.
	Lifetime uint64
	// Shutdown counts streams closed because the server drained.
	Shutdown uint64
	// SessionEnded counts streams closed because the session they depend
	// on ended: signed out, or expired.
	SessionEnded uint64
}

// closeReason is why a stream ended.
type closeReason int

const (
	closedClientGone closeReason = iota
	closedSlowConsumer
	closedWriteTimeout
	closedLifetime
	closedShutdown
	closedSessionEnded
	closeReasons
)

// counters are the live form of Stats.
type counters struct {
	streams      atomic.Int64
	opened       atomic.Uint64
	closed       [closeReasons]atomic.Uint64
	replayed     atomic.Uint64
	gaps         atomic.Uint64
	delivered    atomic.Uint64
	written      atomic.Uint64
	uncompressed atomic.Uint64
	latency      latency
	refused      [refuseReasons]atomic.Uint64

	classMu sync.Mutex
	classes map[string]int64
}

// MaxClasses bounds the topic classes that StreamsByClass tells apart, so a
// client cannot grow the metrics by inventing topics.
const MaxClasses = 32

// streamOpened counts a stream of topics by class and returns the function
// that counts it closed.
func (c *counters) streamOpened(topics []string) (closed func()) {
	classes := topicClasses(topics)
	c.classMu.Lock()
	if c.classes == nil {
		c.classes = map[string]int64{}
	}
	for i, class := range classes {
		if _, known := c.classes[class]; !known && len(c.classes) >= MaxClasses {
			classes[i] = "other"
		}
		c.classes[classes[i]]++
	}
	c.classMu.Unlock()
	return func() {
		c.classMu.Lock()
		defer c.classMu.Unlock()
		for _, class := range classes {
			c.classes[class]--
		}
	}
}

// topicClasses returns the distinct first segments of topics.
func topicClasses(topics []string) []string {
	var out []string
	for _, t := range topics {
		class, _, _ := strings.Cut(t, "/")
		if !slices.Contains(out, class) {
			out = append(out, class)
		}
	}
	return out
}

func (c *counters) classSnapshot() map[string]int64 {
	c.classMu.Lock()
	defer c.classMu.Unlock()
	out := make(map[string]int64, len(c.classes))
	for class, n := range c.classes {
		out[class] = n
	}
	return out
}

// sent counts live frames about to be written, and the latency of the
// oldest.
func (c *counters) sent(frames []*engine.Frame) {
	if len(frames) == 0 {
		return
	}
	c.delivered.Add(uint64(len(frames)))
	c.latency.observe(time.Since(frames[0].At()))
}

// Stats returns a snapshot of the server's counters.
func (s *Server) Stats() Stats {
	c := &s.counters
	return Stats{
		Streams:        c.streams.Load(),
		StreamsByClass: c.classSnapshot(),
		History:        s.hub.History(),
		Opened:         c.opened.Load(),
		Closed: ClosedStats{
			ClientGone:   c.closed[closedClientGone].Load(),
			SlowConsumer: c.closed[closedSlowConsumer].Load(),
			WriteTimeout: c.closed[closedWriteTimeout].Load(),
			Lifetime:     c.closed[closedLifetime].Load(),
			Shutdown:     c.closed[closedShutdown].Load(),
			SessionEnded: c.closed[closedSessionEnded].Load(),
		},
		Published:         s.hub.Published(),
		Replayed:          c.replayed.Load(),
		Gaps:              c.gaps.Load(),
		Delivered:         c.delivered.Load() + c.replayed.Load(),
		BytesWritten:      c.written.Load(),
		BytesUncompressed: c.uncompressed.Load(),
		Latency:           c.latency.snapshot(),
		Refused: RefusedStats{
			Auth:        c.refused[refusedAuth].Load(),
			Origin:      c.refused[refusedOrigin].Load(),
			Limit:       c.refused[refusedLimit].Load(),
			BadInput:    c.refused[refusedBadInput].Load(),
			Unavailable: c.refused[refusedUnavailable].Load(),
			Draining:    c.refused[refusedDraining].Load(),
			Internal:    c.refused[refusedInternal].Load(),
		},
	}
}

// LatencyBuckets are the upper bounds of the publish-to-write latency
// histogram in Stats.
var LatencyBuckets = []time.Duration{
	500 * time.Microsecond, time.Millisecond, 2500 * time.Microsecond,
	5 * time.Millisecond, 10 * time.Millisecond, 25 * time.Millisecond,
	50 * time.Millisecond, 100 * time.Millisecond, 250 * time.Millisecond,
	500 * time.Millisecond, time.Second, 2500 * time.Millisecond,
	5 * time.Second, 10 * time.Second,
}

// Latency is a histogram of the delay from an event's publication to its
// write on a stream, one sample per write: the oldest event the write holds.
type Latency struct {
	// Counts[i] counts the samples at most LatencyBuckets[i] and above the
	// bucket before; the last count is for samples above every bucket.
	Counts []uint64
	// Sum is the total of the samples.
	Sum time.Duration
}

type latency struct {
	counts [15]atomic.Uint64 // len(LatencyBuckets)+1
	sum    atomic.Int64
}

func (l *latency) observe(d time.Duration) {
	i, _ := slices.BinarySearch(LatencyBuckets, d)
	l.counts[i].Add(1)
	l.sum.Add(int64(d))
}

func (l *latency) snapshot() Latency {
	out := Latency{Counts: make([]uint64, len(l.counts)), Sum: time.Duration(l.sum.Load())}
	for i := range l.counts {
		out.Counts[i] = l.counts[i].Load()
	}
	return out
}
