package eventsource

import (
	"slices"
	"strconv"
	"testing"
)

// chain returns events with ids from..to, each following the one before.
func chain(from, to int) []relayed {
	var out []relayed
	for i := from; i <= to; i++ {
		out = append(out, relayed{message: message{typ: "t", data: "d", id: strconv.Itoa(i)}, prev: strconv.Itoa(i - 1)})
	}
	return out
}

func ids(ms []relayed) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.id)
	}
	return out
}

func TestRecentSinceReturnsWhatFollowsAnID(t *testing.T) {
	var r recent
	for _, m := range chain(1, 5) {
		r.add(m)
	}
	tests := []struct {
		name, after, last string
		want              []string
		found             bool
	}{
		{"a tab that is behind gets what it missed", "2", "5", []string{"3", "4", "5"}, true},
		{"a tab that is level gets nothing", "5", "5", nil, true},
		{"a tab that starts from now gets nothing", "", "5", nil, true},
		{"an id older than the ring gets everything, not found", "0", "5", []string{"1", "2", "3", "4", "5"}, false},
		{"an unknown id gets everything, not found", "x", "5", []string{"1", "2", "3", "4", "5"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, found := r.since(tt.after, tt.last)
			if !slices.Equal(ids(got), tt.want) || found != tt.found {
				t.Errorf("since(%q, %q) = %v, %v; want %v, %v", tt.after, tt.last, ids(got), found, tt.want, tt.found)
			}
		})
	}
}

func TestRecentSinceSkipsEventsWithoutAnIDOfTheirOwn(t *testing.T) {
	var r recent
	r.add(relayed{message: message{typ: "t", id: "1"}, prev: ""})
	r.add(relayed{message: message{typ: "note", id: "1"}, prev: "1"})
	r.add(relayed{message: message{typ: "t", id: "2"}, prev: "1"})
	got, found := r.since("1", "2")
	if !found || !slices.Equal(ids(got), []string{"1", "2"}) || got[0].typ != "note" {
		t.Errorf("since(1) = %v %v, want the note without id and event 2", got, found)
	}
}

func TestRecentForgetsTheOldestWhenFull(t *testing.T) {
	var r recent
	for _, m := range chain(1, recentSize+10) {
		r.add(m)
	}
	if r.has("10") || !r.has("11") || !r.has(strconv.Itoa(recentSize+10)) {
		t.Errorf("after %d events the ring should hold ids 11 to %d", recentSize+10, recentSize+10)
	}
	if len(r.ids) != recentSize {
		t.Errorf("the ring indexes %d ids, want %d", len(r.ids), recentSize)
	}
	got, found := r.since("11", "")
	if !found || len(got) != recentSize-1 || got[0].id != "12" {
		t.Errorf("since(11) = %d events from %v, %v; want %d from 12", len(got), ids(got[:1]), found, recentSize-1)
	}
}

func TestJudgeDeliversSkipsOrResyncs(t *testing.T) {
	var r recent
	for _, m := range chain(1, 3) {
		r.add(m)
	}
	tests := []struct {
		name string
		m    relayed
		last string
		want verdict
	}{
		{"the next event is delivered", chain(4, 4)[0], "3", deliverIt},
		{"an event seen already is skipped", chain(2, 2)[0], "3", skipIt},
		{"an event after a missed one asks to resync", chain(5, 5)[0], "3", resync},
		{"an event without an id that follows is delivered", relayed{message: message{id: "3"}, prev: "3"}, "3", deliverIt},
		{"an event without an id after a missed one asks to resync", relayed{message: message{id: "4"}, prev: "4"}, "3", resync},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.judge(tt.m, tt.last); got != tt.want {
				t.Errorf("judge(%s after %s) = %v, want %v", tt.m.id, tt.m.prev, got, tt.want)
			}
		})
	}
}
