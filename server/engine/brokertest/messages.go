package brokertest

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/heraldhq/herald/server/engine"
)

// The topics the suite publishes on.
const (
	topicA = "public"
	topicB = "user/ann"
	topicC = "room-42"
)

// message returns a message on topic whose data tells it apart by n.
func message(topic string, n int) engine.Message {
	return engine.Message{Topic: topic, Type: "notification", Data: fmt.Appendf(nil, `{"n":%d}`, n)}
}

// keyed returns message(topic, n) with Key key.
func keyed(topic string, n int, key string) engine.Message {
	m := message(topic, n)
	m.Key = key
	return m
}

// messages returns n messages, from first on, cycling through the topics.
func messages(first, n int) []engine.Message {
	topics := []string{topicA, topicB, topicC}
	msgs := make([]engine.Message, n)
	for i := range msgs {
		msgs[i] = message(topics[(first+i)%len(topics)], first+i)
	}
	return msgs
}

// seqsOf returns the sequence numbers of recs.
func seqsOf(recs []engine.Record) []uint64 {
	seqs := make([]uint64, len(recs))
	for i, r := range recs {
		seqs[i] = r.Seq
	}
	return seqs
}

// checkRecords fails the test unless got holds exactly msgs, in order, with
// sequence numbers seqs and a storage time.
func checkRecords(t *testing.T, got []engine.Record, seqs []uint64, msgs []engine.Message) {
	t.Helper()
	if len(got) != len(msgs) {
		t.Fatalf("got %d events %v, want %d with sequence numbers %v", len(got), seqsOf(got), len(msgs), seqs)
	}
	for i, r := range got {
		m := msgs[i]
		if r.Seq != seqs[i] || r.Topic != m.Topic || r.Type != m.Type || !bytes.Equal(r.Data, m.Data) {
			t.Errorf("event %d is %d %q %q %s, want %d %q %q %s", i, r.Seq, r.Topic, r.Type, r.Data, seqs[i], m.Topic, m.Type, m.Data)
		}
		if r.Time.IsZero() {
			t.Errorf("event %d (sequence %d) has no storage time", i, r.Seq)
		}
	}
}

// publish publishes msgs as one batch and returns their sequence numbers,
// failing the test on an error or on a count that is not one per message.
func publish(t *testing.T, b engine.Broker, msgs []engine.Message) []uint64 {
	t.Helper()
	seqs, err := b.Publish(bounded(t), msgs)
	if err != nil {
		t.Fatalf("publish %d events: %v", len(msgs), err)
	}
	if len(seqs) != len(msgs) {
		t.Fatalf("published %d events, got %d sequence numbers %v", len(msgs), len(seqs), seqs)
	}
	return seqs
}

// last returns b.Last, failing the test on an error.
func last(t *testing.T, b engine.Broker) uint64 {
	t.Helper()
	seq, err := b.Last(bounded(t))
	if err != nil {
		t.Fatalf("last: %v", err)
	}
	return seq
}

// consecutive reports whether seqs follow one another by one.
func consecutive(seqs []uint64) bool {
	for i := 1; i < len(seqs); i++ {
		if seqs[i] != seqs[i-1]+1 {
			return false
		}
	}
	return true
}
