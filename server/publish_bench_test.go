package server_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/server"
)

// BenchmarkPublishHandler measures POST /publish through the handler,
// without a socket: reading, decoding, validating and re-encoding the
// events, the hub's publish to a topic nobody reads, and the response. One
// op is one request of n probe events; ns/event is the time per event.
func BenchmarkPublishHandler(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			srv, err := server.New(server.Config{Schema: testSchema(), PublishToken: token, TokenPublishRate: 1e9, TokenPublishBurst: 1e9})
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Drain()
			h := srv.Handler()
			body := probeBody(n)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				req := httptest.NewRequest("POST", "/publish", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/event")
		})
	}
}

// probeBody returns a publish body of n probe events of about 100 bytes of
// data, one object when n is 1 and an array otherwise.
func probeBody(n int) []byte {
	var sb strings.Builder
	if n > 1 {
		sb.WriteByte('[')
	}
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"topic":"public","type":"probe","data":{"t":%d,"s":%d,"pad":"%s"}}`,
			time.Now().UnixNano(), i, strings.Repeat("x", 60))
	}
	if n > 1 {
		sb.WriteByte(']')
	}
	return []byte(sb.String())
}
