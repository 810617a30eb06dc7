package load

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	demo "github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
)

// smallRun is a bounded run against url.
func smallRun(url string) Config {
	return Config{URL: url, Topic: "load", Token: "test-token", Streams: 20, Events: 200, Batch: 10,
		Duration: 30 * time.Second, Drain: 5 * time.Second, Settle: time.Millisecond, PID: -1}
}

func TestRunCountsWhatTheServerDoes(t *testing.T) {
	tests := []struct {
		name                       string
		fake                       *fakeServer
		lost, duplicated, delivery int64
	}{
		{"every event arrives once", &fakeServer{}, 0, 0, 20 * 200},
		{"a dropped event is lost on every stream", &fakeServer{copies: func(s int64) int {
			if s == 7 {
				return 0
			}
			return 1
		}}, 20, 0, 20 * 199},
		{"a repeated event is duplicated on every stream", &fakeServer{copies: func(s int64) int {
			if s == 50 {
				return 2
			}
			return 1
		}}, 0, 20, 20 * 201},
		{"a gzip stream is decoded", &fakeServer{gzip: true}, 0, 0, 20 * 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(tt.fake)
			defer ts.Close()
			cfg := smallRun(ts.URL)
			cfg.Gzip = tt.fake.gzip
			if tt.lost > 0 {
				cfg.Drain = 300 * time.Millisecond // a run with a loss waits this long for it
			}
			res, err := Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if res.Lost != tt.lost || res.Duplicated != tt.duplicated || res.Delivered != tt.delivery {
				t.Errorf("lost %d, duplicated %d, delivered %d; want %d, %d, %d (errors: %v)",
					res.Lost, res.Duplicated, res.Delivered, tt.lost, tt.duplicated, tt.delivery, res.Errors)
			}
		})
	}
}

// readAll lets anyone read every topic; only the token publishes.
type readAll struct{}

func (readAll) CanRead(security.User, string) bool            { return true }
func (readAll) CanPublish(security.User, string, string) bool { return false }

func TestRunAgainstHerald(t *testing.T) {
	srv, err := server.New(server.Config{Schema: demo.Schema, PublishToken: "test-token", Authorizer: readAll{}, MaxConnsPerClient: 1000})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	defer srv.Drain()
	for _, batch := range []int{1, 50} {
		cfg := smallRun(ts.URL)
		cfg.Batch = batch
		res, err := Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if res.Connected != 20 || res.Published != 200 || res.Delivered != 20*200 || res.Lost != 0 || res.Duplicated != 0 || res.OutOfOrder != 0 {
			t.Errorf("batch %d: %+v", batch, res)
		}
		if res.Latency.P50 <= 0 || res.Latency.Max < res.Latency.P99 || res.EventsPerSecond <= 0 {
			t.Errorf("batch %d: latency %+v, %v events/s: not measured", batch, res.Latency, res.EventsPerSecond)
		}
	}
}

func TestRunIsBoundedInTime(t *testing.T) {
	fake := &fakeServer{copies: func(int64) int { return 0 }} // delivers nothing
	ts := httptest.NewServer(fake)
	defer ts.Close()
	cfg := smallRun(ts.URL)
	cfg.Duration, cfg.Drain = 500*time.Millisecond, time.Hour
	start := time.Now()
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 5*time.Second || res.Lost != 20*200 {
		t.Errorf("a run bounded to 500ms took %v and lost %d of %d", took, res.Lost, 20*200)
	}
}
