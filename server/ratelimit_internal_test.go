package server

import (
	"strconv"
	"testing"
)

// However many keys come, a RateLimiter holds at most MaxRateKeys buckets
// and one shared by the keys that found it full; it forgets the buckets that
// have refilled first.
func TestARateLimiterStaysBoundedWhateverTheKeys(t *testing.T) {
	tests := []struct {
		name      string
		perSecond float64
		newKeyOK  []bool // the Allow of two new keys once full
	}{
		{"buckets still drained: new keys share one", 1e-9, []bool{true, false}},
		{"buckets refilled: they are forgotten", 1e9, []bool{true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := NewRateLimiter("test", tt.perSecond, 1)
			for i := range MaxRateKeys {
				if err := l.Allow(strconv.Itoa(i), 1); err != nil {
					t.Fatalf("key %d: %v", i, err)
				}
			}
			for i, want := range tt.newKeyOK {
				if err := l.Allow("new"+strconv.Itoa(i), 1); (err == nil) != want {
					t.Errorf("new key %d: %v, want allowed: %v", i, err, want)
				}
			}
			if n := len(l.buckets); n > MaxRateKeys+1 {
				t.Errorf("%d buckets, want at most %d", n, MaxRateKeys+1)
			}
		})
	}
}
