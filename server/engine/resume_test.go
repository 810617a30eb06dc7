package engine

import (
	"context"
	"slices"
	"testing"
)

// publishTo publishes n probe events to topic on h and returns their ids.
func publishTo(t *testing.T, h *Hub, topic string, n int) []string {
	t.Helper()
	var ids []string
	for range n {
		got, err := h.Publish(context.Background(), []Message{{Topic: topic, Type: "probe", Data: []byte(`{}`)}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, got...)
	}
	return ids
}

// replayed returns the ids of what s replays.
func replayed(t *testing.T, s *Subscription) []string {
	t.Helper()
	var ids []string
	for f, err := range s.Replay() {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, FormatID(f.Seq()))
	}
	return ids
}

func TestResume(t *testing.T) {
	h := newTestHub(t, Config{HistoryEvents: 3})
	pub := publishTo(t, h, "public", 3)
	publishTo(t, h, "other", 1)
	last := publishTo(t, h, "public", 2) // public's history holds pub[2], last[0], last[1]; other's, its one event
	newest := last[1]
	tests := []struct {
		name     string
		resume   bool
		lastID   string
		want     []string
		gap      bool
		position string // after the replay
	}{
		{"a new client misses nothing and gets the newest id", false, "", nil, false, newest},
		{"a client with the newest id misses nothing", true, newest, nil, false, ""},
		{"a client within the history gets what follows, on its topics", true, pub[2], last, false, ""},
		{"a client older than the history is told of the gap", true, pub[0], []string{pub[2], last[0], last[1]}, true, ""},
		{"an id that is not a number is a gap before the whole history", true, "abc", []string{pub[2], last[0], last[1]}, true, ""},
		{"an id never issued is a gap before the whole history", true, "99999999999999999", []string{pub[2], last[0], last[1]}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := h.Subscribe(context.Background(), []string{"public"}, tt.resume, tt.lastID)
			if err != nil {
				t.Fatal(err)
			}
			defer h.Unsubscribe(s.Subscriber)
			got := replayed(t, s)
			if !slices.Equal(got, tt.want) {
				t.Errorf("replayed %v, want %v", got, tt.want)
			}
			if (s.Gap != nil) != tt.gap {
				t.Fatalf("gap %+v, want one: %v", s.Gap, tt.gap)
			}
			if tt.gap && (s.Gap.LastEventID != tt.lastID || s.Gap.OldestID != pub[2]) {
				t.Errorf("gap %+v, want lastEventId %q and oldestId %s", *s.Gap, tt.lastID, pub[2])
			}
			if s.Skip != 0 {
				t.Errorf("skip %d, want 0", s.Skip)
			}
			var end uint64
			if len(got) > 0 {
				end, _ = ParseID(got[len(got)-1])
			}
			if p := s.Position(end); p != tt.position {
				t.Errorf("position after the replay %q, want %q", p, tt.position)
			}
		})
	}
}

// What is published once a resumed subscriber is registered is queued for
// it, not replayed: nothing is lost and nothing comes twice.
func TestAResumeThenLiveEventsHaveNeitherHoleNorDuplicate(t *testing.T) {
	h := newTestHub(t, Config{})
	ids := publishTo(t, h, "public", 3)
	s, err := h.Subscribe(context.Background(), []string{"public"}, true, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	defer h.Unsubscribe(s.Subscriber)
	live := publishTo(t, h, "public", 2)
	got := replayed(t, s)
	w, ok := s.Subscriber.Take(nil)
	if !ok {
		t.Fatal("nothing queued after two live events")
	}
	for _, f := range w.Frames {
		got = append(got, FormatID(f.Seq()))
	}
	if want := append(ids[1:], live...); !slices.Equal(got, want) {
		t.Errorf("replay then live = %v, want %v", got, want)
	}
}

func TestSubscribingToAClosedHubFails(t *testing.T) {
	h := newTestHub(t, Config{})
	h.Close()
	if _, err := h.Subscribe(context.Background(), []string{"public"}, false, ""); err != ErrClosed {
		t.Errorf("subscribe after Close: %v, want ErrClosed", err)
	}
}
