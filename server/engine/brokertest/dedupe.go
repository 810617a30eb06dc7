package brokertest

import (
	"testing"
	"time"

	"github.com/heraldhq/herald/server/engine"
)

// runDedupe checks the broker's duplicate detection by Message.Key.
func (s Suite) runDedupe(t *testing.T) {
	t.Run("a message whose key was stored within the dedupe window is not stored again and gets the first sequence number", s.testDedupe)
	t.Run("a message whose key was stored before the dedupe window is stored again", s.testDedupeWindowOver)
}

// dedupeSteps are the batches testDedupe publishes, in order, on one broker.
var dedupeSteps = []struct {
	name string
	msgs []engine.Message
}{
	{"a keyed event is stored", []engine.Message{keyed(topicA, 0, "k1")}},
	{"the same keyed event again is not", []engine.Message{keyed(topicA, 0, "k1")}},
	{"a keyed batch is stored", []engine.Message{keyed(topicA, 1, "k2"), keyed(topicB, 2, "k3")}},
	{"the same batch again is not", []engine.Message{keyed(topicA, 1, "k2"), keyed(topicB, 2, "k3")}},
	{"of a batch with a stored key and a new one, only the new one is stored", []engine.Message{keyed(topicA, 0, "k1"), keyed(topicC, 3, "k4")}},
	{"of a batch with an event without a key and a stored key, only the first is stored", []engine.Message{message(topicA, 4), keyed(topicA, 1, "k2")}},
	{"an event without a key is stored", []engine.Message{message(topicB, 5)}},
	{"the same event without a key again is stored again", []engine.Message{message(topicB, 5)}},
}

// testDedupe publishes dedupeSteps and checks each sequence number against a
// model: a key stored before gets its first sequence number, anything else a
// new one above all before it; only the new ones are delivered, in order.
func (s Suite) testDedupe(t *testing.T) {
	b := s.open(t)
	highest := last(t, b)
	r := start(t, b, highest)
	stored := map[string]uint64{}
	var wantSeqs []uint64
	var want []engine.Message
	for _, step := range dedupeSteps {
		seqs := publish(t, b, step.msgs)
		for i, m := range step.msgs {
			if first, ok := stored[m.Key]; ok {
				if seqs[i] != first {
					t.Errorf("%s: event %d with key %q got %d, want the first one's %d", step.name, i, m.Key, seqs[i], first)
				}
				continue
			}
			if seqs[i] <= highest {
				t.Errorf("%s: event %d with key %q got %d, want a new sequence number above %d", step.name, i, m.Key, seqs[i], highest)
			}
			highest = max(highest, seqs[i])
			wantSeqs, want = append(wantSeqs, seqs[i]), append(want, m)
			if m.Key != "" {
				stored[m.Key] = seqs[i]
			}
		}
		if got := last(t, b); got != highest {
			t.Errorf("%s: Last is %d, want %d", step.name, got, highest)
		}
	}
	checkRecords(t, r.wait(t, len(want)), wantSeqs, want)
}

func (s Suite) testDedupeWindowOver(t *testing.T) {
	if s.DedupeWindow < time.Millisecond || s.DedupeWindow > MaxDedupeWindow {
		t.Skipf("the broker declares a dedupe window of %v (Suite.DedupeWindow), not within 1ms and %v", s.DedupeWindow, MaxDedupeWindow)
	}
	b := s.open(t)
	m := keyed(topicA, 0, "once-upon-a-time")
	first := publish(t, b, []engine.Message{m})[0]
	time.Sleep(s.DedupeWindow)
	// A broker may forget a key a little after its window is over.
	deadline := time.Now().Add(s.DedupeWindow + waitLimit)
	for {
		again := publish(t, b, []engine.Message{m})[0]
		if again > first {
			return
		}
		if again != first {
			t.Fatalf("the key published again got %d, below its first sequence number %d", again, first)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the key still gets its first sequence number %d %v after its window of %v", first, s.DedupeWindow+waitLimit, s.DedupeWindow)
		}
		time.Sleep(s.DedupeWindow / 10)
	}
}
