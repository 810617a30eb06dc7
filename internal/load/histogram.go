package load

import (
	"math"
	"math/bits"
	"sync/atomic"
	"time"
)

// The histogram's buckets are log-linear: values below subBuckets
// nanoseconds have a bucket each, and every power of two above is split into
// subBuckets buckets, so a quantile is within 1/subBuckets (1.6 %) of the
// value it stands for.
const (
	subBits    = 6
	subBuckets = 1 << subBits
	numBuckets = subBuckets + (64-subBits)*subBuckets
)

// bucketOf returns the bucket index of v nanoseconds; negative values go to
// bucket 0.
func bucketOf(v int64) int {
	if v < subBuckets {
		return int(max(v, 0))
	}
	shift := bits.Len64(uint64(v)) - subBits - 1
	return subBuckets + shift*subBuckets + int(v>>shift) - subBuckets
}

// bucketValue returns the middle of bucket i's range of values.
func bucketValue(i int) int64 {
	if i < subBuckets {
		return int64(i)
	}
	shift := (i - subBuckets) / subBuckets
	low := int64(subBuckets+(i-subBuckets)%subBuckets) << shift
	return low + (int64(1)<<shift)/2
}

// Histogram counts latencies. Record and the readers are safe for concurrent
// use: the streams record into it while the progress report reads it.
type Histogram struct {
	counts [numBuckets]atomic.Uint64
	total  atomic.Uint64
	max    atomic.Int64
}

// Record counts one latency.
func (h *Histogram) Record(d time.Duration) {
	h.counts[bucketOf(int64(d))].Add(1)
	h.total.Add(1)
	for {
		m := h.max.Load()
		if int64(d) <= m || h.max.CompareAndSwap(m, int64(d)) {
			return
		}
	}
}

// Count returns how many latencies were recorded.
func (h *Histogram) Count() uint64 { return h.total.Load() }

// Max returns the largest latency recorded, exactly.
func (h *Histogram) Max() time.Duration { return time.Duration(h.max.Load()) }

// Merge adds the counts of o to h.
func (h *Histogram) Merge(o *Histogram) {
	for i := range o.counts {
		if n := o.counts[i].Load(); n > 0 {
			h.counts[i].Add(n)
		}
	}
	h.total.Add(o.total.Load())
	if m := o.max.Load(); m > h.max.Load() {
		h.max.Store(m)
	}
}

// Quantile returns the latency under which a fraction q (0 to 1) of those
// recorded fall, within a bucket's precision; 0 when none was recorded. The
// quantile of 1 is the exact maximum.
func (h *Histogram) Quantile(q float64) time.Duration {
	total := h.total.Load()
	if total == 0 {
		return 0
	}
	if q >= 1 {
		return h.Max()
	}
	rank := max(uint64(math.Ceil(q*float64(total))), 1)
	var seen uint64
	for i := range h.counts {
		seen += h.counts[i].Load()
		if seen >= rank {
			return min(time.Duration(bucketValue(i)), h.Max())
		}
	}
	return h.Max()
}
