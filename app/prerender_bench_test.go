//go:build !(js && wasm)

package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/app/ui"
	"github.com/heraldhq/herald/server"
)

// BenchmarkPageWithState measures the server's answer of the page rendered
// with its state, over a history of the public topics that holds 200 log
// lines, 50 notifications and 60 samples of 6 metrics:
//
//	go test ./app -run '^$' -bench PageWithState -benchmem
func BenchmarkPageWithState(b *testing.B) {
	srv, err := server.New(server.Config{Schema: events.Schema})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Drain()
	fillHistory(b, srv)
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.wasm"), []byte("wasm"), 0o644); err != nil {
		b.Fatal(err)
	}
	h, err := newAppHandler(dir)
	if err != nil {
		b.Fatal(err)
	}
	ui.Routes()
	ui.PageHistory = srv.PublicHistory
	defer func() { ui.PageHistory = nil }()
	page := freshPages(h)
	for b.Loop() {
		rec := httptest.NewRecorder()
		page.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if rec.Code != 200 {
			b.Fatalf("GET /: %d", rec.Code)
		}
		b.SetBytes(int64(rec.Body.Len()))
	}
}

func fillHistory(b *testing.B, srv *server.Server) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 200 {
		if _, err := server.Publish(srv, events.LogsTopic, events.LogEvent, events.LogLine{At: at, Level: "info", Text: fmt.Sprintf("request served status=200 n=%d", i)}); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 50 {
		if _, err := server.Publish(srv, events.PublicTopic, events.Notify, events.Notification{User: "ann", Message: fmt.Sprintf("hello %d", i)}); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 60 {
		for _, name := range []string{"streams", "delivered", "cpu", "memory", "latency-p50", "latency-p99"} {
			if _, err := server.Publish(srv, events.MetricsTopic, events.MetricEvent, events.Metric{Name: name, Value: float64(i), At: at}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
