package load

import "testing"

func TestSequenceCounts(t *testing.T) {
	tests := []struct {
		name                            string
		window                          int
		seen                            []int64
		distinct, duplicated, outOfOrde int64
	}{
		{"numbers in order are all distinct", 100, []int64{0, 1, 2, 3}, 4, 0, 0},
		{"a dropped number is missing from the distinct", 100, []int64{0, 1, 3, 4}, 4, 0, 0},
		{"a repeated number is a duplicate", 100, []int64{0, 1, 1, 2}, 3, 1, 0},
		{"a number repeated after later ones is a duplicate", 100, []int64{0, 1, 2, 1}, 3, 1, 0},
		{"a late number is out of order", 100, []int64{0, 2, 1, 3}, 4, 0, 1},
		{"a late number seen twice is out of order once and a duplicate once", 100, []int64{0, 2, 1, 1}, 3, 1, 1},
		{"a repeat after the window has moved on is still caught within it", 64, []int64{0, 63, 100, 63}, 3, 1, 0},
		{"a number older than the window counts as out of order", 64, []int64{0, 200, 5}, 3, 0, 1},
		{"a number whose bit an older one held is not taken for a duplicate", 64, []int64{0, 1, 70, 65}, 4, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newSequence(tt.window)
			for _, s := range tt.seen {
				q.see(s)
			}
			if q.distinct != tt.distinct || q.duplicated != tt.duplicated || q.outOfOrder != tt.outOfOrde {
				t.Errorf("after %v: distinct %d, duplicated %d, out of order %d; want %d, %d, %d",
					tt.seen, q.distinct, q.duplicated, q.outOfOrder, tt.distinct, tt.duplicated, tt.outOfOrde)
			}
		})
	}
}

func TestSequenceWindowIsBounded(t *testing.T) {
	if got := len(newSequence(1<<30).seen) * 8; got > maxWindow/8 {
		t.Errorf("a sequence for 2^30 events holds %d bytes, over %d", got, maxWindow/8)
	}
}
