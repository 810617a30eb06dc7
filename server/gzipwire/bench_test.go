package gzipwire

import (
	"bytes"
	stdflate "compress/flate"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/klauspost/compress/flate"
)

// sampleEvents are events as they go on a stream: the load generator's
// 100-byte probe (its pad of one repeated letter), a demo figure, and a 2 KB log line of an access log with
// request ids and timings, which compress as real ones do.
func sampleEvents() map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	probe := "id: 1048576\nevent: probe\ndata: " + `{"t":1764555555123456789,"s":1048576,"pad":"xxxxxxxxxxxxxxxxxxxxx"}` + "\n\n"
	figure := "id: 1048577\nevent: metric\ndata: " + `{"name":"events_delivered","value":1523467,"rate":48211.5,"at":"2026-12-01T02:21:46.123456789Z"}` + "\n\n"
	var text strings.Builder
	for text.Len() < 1900 {
		fmt.Fprintf(&text, "GET /events?topic=user/u%d status=200 bytes=%d took=%dus req=%016x; ",
			rng.IntN(5000), rng.IntN(100000), rng.IntN(20000), rng.Uint64())
	}
	log := "id: 1048578\nevent: log\ndata: " + `{"at":"2026-12-01T02:21:46.123456789Z","level":"info","text":"` + text.String() + `"}` + "\n\n"
	return map[string][]byte{"probe": []byte(probe), "figure": []byte(figure), "log2KB": []byte(log)}
}

// compressors are the ways of making a piece compared: NewPiece's, the
// stateless deflate alone, and sync-flushed writers of either library,
// reset from a pool.
func compressors() map[string]func([]byte) []byte {
	out := map[string]func([]byte) []byte{
		"herald": func(raw []byte) []byte { return NewPiece(raw).Bytes() },
		"stateless": func(raw []byte) []byte {
			var b bytes.Buffer
			_ = flate.StatelessDeflate(&b, raw, false, nil)
			return b.Bytes()
		},
	}
	for _, level := range []int{1, 6} {
		out[fmt.Sprintf("std-level%d", level)] = pooled(func() writer { w, _ := stdflate.NewWriter(nil, level); return w })
		out[fmt.Sprintf("klauspost-level%d", level)] = pooled(func() writer { w, _ := flate.NewWriter(nil, level); return w })
	}
	return out
}

type writer interface {
	Write([]byte) (int, error)
	Flush() error
	Reset(w io.Writer)
}

// pooled returns a compressor that takes its writers from a pool.
func pooled(newWriter func() writer) func([]byte) []byte {
	pool := sync.Pool{New: func() any { return newWriter() }}
	return func(raw []byte) []byte {
		var b bytes.Buffer
		w := pool.Get().(writer)
		w.Reset(&b)
		_, _ = w.Write(raw)
		_ = w.Flush()
		pool.Put(w)
		return b.Bytes()
	}
}

// BenchmarkPieces makes the piece of each sample event with each
// compressor, and reports its bytes on the wire per event against the raw
// event's.
func BenchmarkPieces(b *testing.B) {
	for name, raw := range sampleEvents() {
		for cname, compress := range compressors() {
			b.Run(name+"/"+cname, func(b *testing.B) {
				b.SetBytes(int64(len(raw)))
				var n int
				for b.Loop() {
					n = len(compress(raw))
				}
				b.ReportMetric(float64(len(raw)), "raw-B/event")
				b.ReportMetric(float64(n), "gzip-B/event")
				b.ReportMetric(float64(storedLen(len(raw))), "stored-B/event")
			})
		}
	}
}

// BenchmarkStreamCRC compares the two ways a stream can keep the CRC of
// what it sent: hashing each event's bytes again, or combining the CRC
// each piece carries.
func BenchmarkStreamCRC(b *testing.B) {
	for name, raw := range sampleEvents() {
		p := NewPiece(raw)
		b.Run(name+"/hash-the-bytes", func(b *testing.B) {
			var s Sum
			for b.Loop() {
				s = s.Add(raw)
			}
		})
		b.Run(name+"/combine-the-piece-CRC", func(b *testing.B) {
			var s Sum
			for b.Loop() {
				s = s.combine(p)
			}
		})
	}
}
