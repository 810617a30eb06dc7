package load

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/heraldhq/herald/shared/sse"
)

// probeFrames returns n probe frames as Herald sends them, ids included.
func probeFrames(n int) []byte {
	var b []byte
	now := time.Now().UnixNano()
	for i := range n {
		data := appendProbe(nil, []byte(`"public"`), now, int64(i), DefaultPad)
		b, _ = sse.AppendEvent(b, sse.Event{ID: "1764553200000-" + string(rune('a'+i%26)), Type: "probe", Data: string(data[len(`{"topic":"public","type":"probe","data":`) : len(data)-1])})
	}
	return b
}

// BenchmarkStreamRead measures the load generator's cost per event
// received: parsing, finding the probe's fields, the sequence and the
// histogram.
func BenchmarkStreamRead(b *testing.B) {
	const events = 4096
	frames := probeFrames(events)
	b.SetBytes(int64(len(frames)))
	b.ReportAllocs()
	sh := new(shard)
	for b.Loop() {
		s := &stream{body: io.MultiReader(bytes.NewReader(frames)), seq: newSequence(events), stats: sh, hist: &sh.hist}
		s.read()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*events), "ns/event")
}
