package engine

import (
	"slices"
	"testing"
	"time"
)

func TestARingFindsWhatFollowsAnIDAcrossHolesInTheSequence(t *testing.T) {
	seqs := []uint64{11, 12, 15, 16, 19}
	h := newRing(100, 1<<20, time.Hour, 10)
	for _, seq := range seqs {
		h.add(&Frame{seq: seq, wire: []byte("x"), at: time.Now()})
	}
	tests := []struct {
		name string
		last uint64
		want []uint64
	}{
		{"before the oldest: all", 3, seqs},
		{"the oldest: the rest", 11, seqs[1:]},
		{"a consecutive id", 12, seqs[2:]},
		{"an id in a hole", 13, seqs[2:]},
		{"an id after a hole", 15, seqs[3:]},
		{"an id just before the newest", 18, seqs[4:]},
		{"the newest: nothing", 19, nil},
		{"past the newest: nothing", 30, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []uint64
			for _, f := range h.since(nil, tt.last, func(*Frame) bool { return true }) {
				got = append(got, f.seq)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("since(%d) = %v, want %v", tt.last, got, tt.want)
			}
		})
	}
}

func TestARingHoldsEverythingAfterItsLastEviction(t *testing.T) {
	h := newRing(3, 1<<20, time.Hour, 100)
	if h.from != 100 {
		t.Fatalf("from = %d, want where delivery started, 100", h.from)
	}
	for seq := uint64(101); seq <= 105; seq++ {
		h.add(&Frame{seq: seq, wire: []byte("x"), at: time.Now()})
	}
	if h.from != 102 || h.oldest() != 103 {
		t.Errorf("from = %d and oldest = %d, want 102 and 103", h.from, h.oldest())
	}
}
