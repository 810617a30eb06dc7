package server

import "sync/atomic"

// Stats are a Server's counters since it started.
type Stats struct {
	// Streams is the number of streams open now.
	Streams int64
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
}

// closeReason is why a stream ended.
type closeReason int

const (
	closedClientGone closeReason = iota
	closedSlowConsumer
	closedWriteTimeout
	closedLifetime
	closedShutdown
	closeReasons
)

// counters are the live form of Stats.
type counters struct {
	streams   atomic.Int64
	opened    atomic.Uint64
	closed    [closeReasons]atomic.Uint64
	published atomic.Uint64
	replayed  atomic.Uint64
	gaps      atomic.Uint64
}

// Stats returns a snapshot of the server's counters.
func (s *Server) Stats() Stats {
	c := &s.counters
	return Stats{
		Streams: c.streams.Load(),
		Opened:  c.opened.Load(),
		Closed: ClosedStats{
			ClientGone:   c.closed[closedClientGone].Load(),
			SlowConsumer: c.closed[closedSlowConsumer].Load(),
			WriteTimeout: c.closed[closedWriteTimeout].Load(),
			Lifetime:     c.closed[closedLifetime].Load(),
			Shutdown:     c.closed[closedShutdown].Load(),
		},
		Published: c.published.Load(),
		Replayed:  c.replayed.Load(),
		Gaps:      c.gaps.Load(),
	}
}
