package load

import (
	"testing"
	"time"
)

func TestBucketsHoldTheirValues(t *testing.T) {
	for _, v := range []int64{0, 1, 63, 64, 65, 127, 128, 1000, 12_345_678, 1 << 40, 1<<62 + 12345} {
		i := bucketOf(v)
		if i < 0 || i >= numBuckets {
			t.Fatalf("bucketOf(%d) = %d, out of [0, %d)", v, i, numBuckets)
		}
		got := bucketValue(i)
		if diff := float64(got-v) / float64(max(v, 1)); diff > 1.0/subBuckets || diff < -1.0/subBuckets {
			t.Errorf("bucketValue(bucketOf(%d)) = %d, off by %.2f%%, over 1/%d", v, got, 100*diff, subBuckets)
		}
	}
}

func TestHistogramQuantiles(t *testing.T) {
	tests := []struct {
		name   string
		values []time.Duration
		q      float64
		want   time.Duration
	}{
		{"an empty histogram has a zero quantile", nil, 0.5, 0},
		{"the median of 1 to 100 ms is 50 ms", spread(100, time.Millisecond), 0.5, 50 * time.Millisecond},
		{"the p99 of 1 to 100 ms is 99 ms", spread(100, time.Millisecond), 0.99, 99 * time.Millisecond},
		{"the p90 of 1 to 1000 µs is 900 µs", spread(1000, time.Microsecond), 0.9, 900 * time.Microsecond},
		{"the maximum is exact", []time.Duration{time.Millisecond, 1234567 * time.Nanosecond}, 1, 1234567 * time.Nanosecond},
		{"one outlier among 1000 stays out of the p99", append(spread(999, 0)[:0], append(repeat(999, time.Millisecond), time.Second)...), 0.99, time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := new(Histogram)
			for _, v := range tt.values {
				h.Record(v)
			}
			got := h.Quantile(tt.q)
			if tolerance := tt.want / subBuckets; got < tt.want-tolerance || got > tt.want+tolerance {
				t.Errorf("Quantile(%v) = %v, want %v within %v", tt.q, got, tt.want, tolerance)
			}
		})
	}
}

func TestHistogramMergeAddsCountsAndKeepsTheMaximum(t *testing.T) {
	a, b := new(Histogram), new(Histogram)
	a.Record(time.Millisecond)
	b.Record(time.Second)
	b.Record(2 * time.Millisecond)
	a.Merge(b)
	if a.Count() != 3 || a.Max() != time.Second {
		t.Errorf("after Merge: count %d, max %v; want 3 and 1s", a.Count(), a.Max())
	}
}

// spread returns 1×unit to n×unit.
func spread(n int, unit time.Duration) []time.Duration {
	v := make([]time.Duration, n)
	for i := range v {
		v[i] = time.Duration(i+1) * unit
	}
	return v
}

// repeat returns n times d.
func repeat(n int, d time.Duration) []time.Duration {
	v := make([]time.Duration, n)
	for i := range v {
		v[i] = d
	}
	return v
}
