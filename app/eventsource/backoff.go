package eventsource

import (
	"math"
	"time"
)

// Bounds of the delay between attempts that fail in a row.
const (
	minFailureDelay = 500 * time.Millisecond
	maxFailureDelay = 30 * time.Second
)

// backoff returns the delay before the next attempt, when the latest
// failures attempts in a row have not opened a stream: the reconnection time
// base (at least minFailureDelay after a failure), doubled for each failure
// after the first up to maxFailureDelay (or base, if longer), plus up to a
// quarter of itself picked by jitter, in [0, 1). The delay is never shorter
// than base, which the server asked for.
func backoff(base time.Duration, failures int, jitter float64) time.Duration {
	d := base
	if failures > 0 {
		d = max(d, minFailureDelay)
	}
	for i := 1; i < failures && d < maxFailureDelay; i++ {
		d *= 2
	}
	if d > maxFailureDelay {
		d = max(maxFailureDelay, base)
	}
	extra := time.Duration(jitter * float64(d) / 4)
	if d > math.MaxInt64-extra {
		return math.MaxInt64
	}
	return d + extra
}
