package server_test

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	demo "github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/engine"
	"github.com/heraldhq/herald/shared"
)

// BenchmarkFanOut measures the whole path, from Publish to the clients'
// sockets: n clients on loopback connections each read every event, one op
// being one event published in batches of 10. ns/delivery is the time per
// event and client; the clients' reading runs on the same cores.
func BenchmarkFanOut(b *testing.B) {
	for _, n := range []int{100, 1_000} {
		b.Run(fmt.Sprintf("clients=%d", n), func(b *testing.B) {
			srv, err := server.New(server.Config{Schema: demo.Schema, MaxConns: n, MaxConnsPerClient: n, HistoryEvents: 1000})
			if err != nil {
				b.Fatal(err)
			}
			ts := httptest.NewServer(srv.Handler())
			defer ts.Close()
			defer srv.Drain()
			var wg sync.WaitGroup
			for range n {
				s := openRawStream(b, ts, "/events?topic=public")
				checkStart(b, s.frame(b))
				wg.Go(func() { s.countEvents(b, b.N) })
			}
			data, _ := shared.ProbeEvent.Encode(shared.Probe{T: time.Now().UnixNano(), Pad: string(bytes.Repeat([]byte("x"), 60))})
			batch := make([]engine.Message, 10)
			for i := range batch {
				batch[i] = engine.Message{Topic: "public", Type: "probe", Data: data}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i += len(batch) {
				if _, err := srv.Publish(batch[:min(len(batch), b.N-i)]...); err != nil {
					b.Fatal(err)
				}
			}
			wg.Wait()
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/delivery")
		})
	}
}

// countEvents reads the stream until it has seen n events.
func (s *rawStream) countEvents(b *testing.B, n int) {
	for seen := 0; seen < n; {
		_ = s.conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		line, err := s.body.ReadSlice('\n')
		if err != nil {
			b.Errorf("a client read %d of %d events: %v", seen, n, err)
			return
		}
		if bytes.HasPrefix(line, []byte("data: ")) {
			seen++
		}
	}
}
