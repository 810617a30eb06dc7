package engine

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// The history is bounded per topic class: a flood on one class evicts only
// that class's events, and a client reading several classes learns of the
// gap in any of them.
func TestAFloodOnOneTopicClassEvictsOnlyThatClass(t *testing.T) {
	h := newTestHub(t, Config{HistoryEvents: 10})
	first := publishTo(t, h, "public", 1)[0]
	public := publishTo(t, h, "public", 5)
	publishTo(t, h, "user/mallory", 50)
	public = append(public, publishTo(t, h, "public", 2)...)
	tests := []struct {
		name   string
		topics []string
		want   []string
		gap    bool
	}{
		{"a client of public misses nothing", []string{"public"}, public, false},
		{"a client of the flooded class is told of the gap", []string{"user/mallory"}, nil, true},
		{"a client of both classes is told of the gap", []string{"public", "user/mallory"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := h.Subscribe(context.Background(), tt.topics, true, first)
			if err != nil {
				t.Fatal(err)
			}
			defer h.Unsubscribe(s.Subscriber)
			got := replayed(t, s)
			if (s.Gap != nil) != tt.gap {
				t.Errorf("gap %+v, want one: %v", s.Gap, tt.gap)
			}
			if tt.want != nil && !slices.Equal(got, tt.want) {
				t.Errorf("replayed %v, want %v", got, tt.want)
			}
		})
	}
}

// Past MaxHistoryClasses, the frames of the further classes share one ring,
// so the history stays bounded whatever the topics.
func TestClassesPastTheLimitShareOneRing(t *testing.T) {
	h := newTestHub(t, Config{HistoryEvents: 4})
	for i := range MaxHistoryClasses + 5 {
		publishTo(t, h, fmt.Sprintf("class%d", i), 6)
	}
	if got, want := h.History().Events, historyShare*4; got != want {
		t.Errorf("history holds %d events, want %d: %d times the bound of one class", got, want, historyShare)
	}
}
