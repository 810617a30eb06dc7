package eventsource

import (
	"testing"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/shared/sse"
)

// TestSourceWatchesTheTypesItsListenersWant checks which types a Source asks
// its transport for: the browser's EventSource dispatches only those, to the
// typed listeners and to OnAny alike.
func TestSourceWatchesTheTypesItsListenersWant(t *testing.T) {
	notify, message := events.Notify.Name(), "message"
	tests := []struct {
		name    string
		setUp   func(s *Source)
		watched map[string]bool
	}{
		{
			name:    "a Source without listeners watches nothing",
			setUp:   func(*Source) {},
			watched: map[string]bool{notify: false, message: false},
		},
		{
			name:    "a typed listener watches its type only",
			setUp:   func(s *Source) { On(s, events.Notify, func(events.Notification) {}) },
			watched: map[string]bool{notify: true, message: false},
		},
		{
			name:    "an OnAny listener watches the events of no type",
			setUp:   func(s *Source) { s.OnAny(func(sse.Event) {}) },
			watched: map[string]bool{notify: false, message: true},
		},
		{
			name: "removing the last listener of a type stops watching it",
			setUp: func(s *Source) {
				remove := On(s, events.Notify, func(events.Notification) {})
				s.OnAny(func(sse.Event) {})()
				remove()
			},
			watched: map[string]bool{notify: false, message: false},
		},
		{
			name: "removing OnAny keeps watching a type a typed listener wants",
			setUp: func(s *Source) {
				On(s, textEvent(message), func(string) {})
				s.OnAny(func(sse.Event) {})()
			},
			watched: map[string]bool{message: true},
		},
		{
			name: "removing a listener twice leaves the other of its type",
			setUp: func(s *Source) {
				remove := On(s, events.Notify, func(events.Notification) {})
				On(s, events.Notify, func(events.Notification) {})
				remove()
				remove()
			},
			watched: map[string]bool{notify: true},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New("http://127.0.0.1:1/events")
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			tc.setUp(s)
			for typ, want := range tc.watched {
				s.mu.Lock()
				got := s.watches(typ)
				s.mu.Unlock()
				if got != want {
					t.Errorf("watches %q: %v, want %v", typ, got, want)
				}
			}
		})
	}
}

// textEvent is an event type whose data is text.
type textEvent string

// Name returns the type's name.
func (e textEvent) Name() string { return string(e) }

// Decode returns data as text.
func (e textEvent) Decode(data []byte) (string, error) { return string(data), nil }
