// Package peertest checks a peer of the benchmark with a small run of
// herald load's engine: every probe reaches every stream, once and in
// order.
package peertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/heraldhq/herald/bench/internal/peer"
	"github.com/heraldhq/herald/internal/load"
)

// Check serves events and publish on loopback and runs a small load on
// them, one event a request and then arrays, unpaced and at a rate.
func Check(t *testing.T, events http.Handler, publish func(peer.Event) error) {
	t.Helper()
	ts := httptest.NewServer(peer.Mux("t", events, publish))
	defer ts.Close()
	for _, c := range []struct {
		batch int
		rate  float64
	}{{1, 0}, {20, 0}, {1, 500}} {
		res, err := load.Run(context.Background(), load.Config{URL: ts.URL, Token: "t", Streams: 20, Events: 100,
			Batch: c.batch, Rate: c.rate, PID: -1, Settle: time.Millisecond, Duration: 30 * time.Second, Drain: 5 * time.Second})
		if err != nil {
			t.Fatalf("batch %d, rate %v: %v", c.batch, c.rate, err)
		}
		if res.Delivered != 20*100 || res.Lost != 0 || res.Duplicated != 0 || res.OutOfOrder != 0 || res.Published != 100 {
			t.Errorf("batch %d, rate %v: published %d, delivered %d, lost %d, duplicated %d, out of order %d; want 100, 2000 and no loss (errors: %v)",
				c.batch, c.rate, res.Published, res.Delivered, res.Lost, res.Duplicated, res.OutOfOrder, res.Errors)
		}
	}
}
