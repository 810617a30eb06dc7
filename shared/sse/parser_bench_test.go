package sse

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// benchStreams are streams of typical shapes, each of many events.
func benchStreams() []struct {
	name   string
	stream []byte
	events int
} {
	notification := `{"user":"alice","message":"the build of main passed in 4m12s","level":"info"}`
	line := strings.Repeat("x", 60)
	large := strings.Repeat("y", 64<<10)
	var out []struct {
		name   string
		stream []byte
		events int
	}
	add := func(name string, n int, frame func(i int) []byte) {
		var b []byte
		for i := range n {
			b = append(b, frame(i)...)
		}
		out = append(out, struct {
			name   string
			stream []byte
			events int
		}{name, b, n})
	}
	add("typed events with ids", 2000, func(i int) []byte {
		b, _ := AppendEvent(nil, Event{ID: strconv.Itoa(i), Type: "notification", Data: notification})
		return b
	})
	add("messages without ids", 2000, func(int) []byte {
		b, _ := AppendEvent(nil, Event{Data: notification})
		return b
	})
	add("events with heartbeats between", 2000, func(i int) []byte {
		b, _ := AppendEvent(AppendComment(nil, ""), Event{ID: strconv.Itoa(i), Type: "metric", Data: notification})
		return b
	})
	add("five-line data", 1000, func(i int) []byte {
		b, _ := AppendEvent(nil, Event{ID: strconv.Itoa(i), Data: strings.Repeat(line+"\n", 4) + line})
		return b
	})
	add("CRLF line ends", 2000, func(i int) []byte {
		return fmt.Appendf(nil, "id: %d\r\nevent: notification\r\ndata: %s\r\n\r\n", i, notification)
	})
	add("short CR lines after a 512 KiB event", 20000, func(i int) []byte {
		if i == 0 {
			b, _ := AppendEvent(nil, Event{Data: strings.Repeat("z", 512<<10)})
			return b
		}
		return []byte("data:1\r\r")
	})
	add("64 KiB events", 32, func(i int) []byte {
		b, _ := AppendEvent(nil, Event{ID: strconv.Itoa(i), Data: large})
		return b
	})
	return out
}

func BenchmarkReader(b *testing.B) {
	for _, s := range benchStreams() {
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(s.stream)))
			src := bytes.NewReader(s.stream)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				src.Reset(s.stream)
				if n := countEvents(b, NewReader(src)); n != s.events {
					b.Fatalf("read %d events, want %d", n, s.events)
				}
			}
			runtime.ReadMemStats(&after)
			events := float64(b.N) * float64(s.events)
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/events, "allocs/event")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/events, "ns/event")
		})
	}
}

func countEvents(b *testing.B, r *Reader) int {
	n := 0
	for {
		_, err := r.Next()
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
}

// BenchmarkReaderLongLineInSmallReads reads a 1 MiB event that arrives 512
// bytes at a time, as a slow network might deliver it.
func BenchmarkReaderLongLineInSmallReads(b *testing.B) {
	stream, _ := AppendEvent(nil, Event{Data: strings.Repeat("w", 1<<20)})
	b.SetBytes(int64(len(stream)))
	for b.Loop() {
		r := NewReader(&fixedReader{b: stream, n: 512}, WithMaxEventSize(2<<20))
		if _, err := r.Next(); err != nil {
			b.Fatal(err)
		}
	}
}
