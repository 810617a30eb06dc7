package brokertest

import (
	"math"
	"slices"
	"testing"

	"github.com/heraldhq/herald/server/engine"
)

// allTopics are the topics the suite publishes on.
var allTopics = []string{topicA, topicB, topicC}

// runRead checks Read's bounds, topic filter and oldest event.
func (s Suite) runRead(t *testing.T) {
	t.Run("Read reports the oldest event stored on any topic, or 0 when there is none", s.testOldest)
	t.Run("Read returns the events on its topics within [from, to], in order", s.testReadRange)
	t.Run("ranging over Read stops when the caller stops", s.testReadBreak)
}

func (s Suite) testOldest(t *testing.T) {
	b := s.open(t)
	if oldest, _ := read(t, b, 0, math.MaxUint64, allTopics); oldest != 0 {
		t.Errorf("an empty broker reports the oldest event %d, want 0", oldest)
	}
	seqs := publish(t, b, []engine.Message{message(topicB, 0), message(topicA, 1)})
	want := seqs[0]
	if s.NoStore {
		want = 0
	}
	if oldest, recs := read(t, b, 0, math.MaxUint64, []string{topicC}); oldest != want || len(recs) != 0 {
		t.Errorf("Read on a topic with no event reports the oldest event %d and finds %v, want %d and none", oldest, seqsOf(recs), want)
	}
}

func (s Suite) testReadRange(t *testing.T) {
	b := s.open(t)
	msgs := messages(0, 9) // topics A, B, C, A, B, C…
	seqs := publish(t, b, msgs)
	tests := []struct {
		name     string
		from, to uint64
		topics   []string
		want     []int // indexes of the events found
	}{
		{"everything on every topic", 0, math.MaxUint64, allTopics, []int{0, 1, 2, 3, 4, 5, 6, 7, 8}},
		{"a range on two topics, both bounds included", seqs[2], seqs[6], []string{topicA, topicB}, []int{3, 4, 6}},
		{"one sequence number on its topic", seqs[4], seqs[4], []string{topicB}, []int{4}},
		{"one sequence number on another topic", seqs[4], seqs[4], []string{topicA}, nil},
		{"a range that ends past the last event", seqs[7], seqs[8] + 100, allTopics, []int{7, 8}},
		{"a range that starts past the last event", seqs[8] + 1, math.MaxUint64, allTopics, nil},
		{"from above to", seqs[5], seqs[3], allTopics, nil},
		{"no topic", 0, math.MaxUint64, nil, nil},
		{"a topic with no event", 0, math.MaxUint64, []string{"nobody"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var wantSeqs []uint64
			var want []engine.Message
			if !s.NoStore {
				for _, i := range tt.want {
					wantSeqs, want = append(wantSeqs, seqs[i]), append(want, msgs[i])
				}
			}
			_, got := read(t, b, tt.from, tt.to, tt.topics)
			checkRecords(t, got, wantSeqs, want)
		})
	}
}

func (s Suite) testReadBreak(t *testing.T) {
	b := s.open(t)
	seqs := publish(t, b, messages(0, 5))
	for range 2 { // a second read shows the first one left the broker usable
		_, events, err := b.Read(bounded(t), 0, math.MaxUint64, allTopics)
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		var got []uint64
		for r, err := range events {
			if err != nil {
				t.Fatalf("read after %v: %v", got, err)
			}
			got = append(got, r.Seq)
			break
		}
		if want := seqs[:1]; !s.NoStore && !slices.Equal(got, want) {
			t.Errorf("the first event read is %v, want %v", got, want)
		}
	}
}

// read returns what b.Read reports and finds, failing the test on an error.
func read(t *testing.T, b engine.Broker, from, to uint64, topics []string) (uint64, []engine.Record) {
	t.Helper()
	oldest, events, err := b.Read(bounded(t), from, to, topics)
	if err != nil {
		t.Fatalf("read [%d, %d] on %q: %v", from, to, topics, err)
	}
	var got []engine.Record
	for r, err := range events {
		if err != nil {
			t.Fatalf("read [%d, %d] on %q after %v: %v", from, to, topics, seqsOf(got), err)
		}
		got = append(got, r)
	}
	return oldest, got
}

// readAll returns the events b stores on topics within [from, to].
func readAll(t *testing.T, b engine.Broker, from, to uint64, topics []string) []engine.Record {
	t.Helper()
	_, got := read(t, b, from, to, topics)
	return got
}
