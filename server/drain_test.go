package server_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/server"
)

// A drain waits for the streams only until its deadline: a client that takes
// none of its last writes is cut then, not at the write timeout, and counted
// as shut down.
func TestADrainCutsTheStreamsLeftAtItsDeadline(t *testing.T) {
	srv, err := server.New(server.Config{Schema: testSchema(), PublishToken: token, WriteTimeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	stuck := openStuckStream(t, ts, "/events?topic=public")
	defer stuck.Close()
	waitFor(t, "the stuck stream subscribed", func() bool { return srv.Stats().Streams == 1 })
	publishBatches(t, ts, 20, 1, 50<<10, func(int) {}) // 1 MB, far more than its socket takes

	const deadline = 300 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	start := time.Now()
	err = srv.DrainContext(ctx)
	if took := time.Since(start); took > deadline+2*time.Second {
		t.Errorf("the drain took %v with a deadline of %v", took, deadline)
	}
	if err == nil || !strings.Contains(err.Error(), "1 streams") {
		t.Errorf("DrainContext = %v, want an error that says 1 stream was cut", err)
	}
	waitFor(t, "the stuck stream closed", func() bool { return srv.Stats().Streams == 0 })
	if c := srv.Stats().Closed; c.Shutdown != 1 || c.WriteTimeout != 0 {
		t.Errorf("closed: %d shut down, %d write timeouts; want the stuck stream shut down", c.Shutdown, c.WriteTimeout)
	}
}

// A drain whose streams all close in time reports no error.
func TestADrainThatEndsInTimeReportsNoError(t *testing.T) {
	srv, ts := newTestServer(t, server.Config{})
	s := openStream(t, ts, "/events?topic=public", nil)
	s.start()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.DrainContext(ctx); err != nil {
		t.Errorf("DrainContext with a reading client = %v, want nil", err)
	}
	waitFor(t, "the stream closed", func() bool { return srv.Stats().Streams == 0 })
	if c := srv.Stats().Closed; c.Shutdown != 1 {
		t.Errorf("closed: %d shut down, want the reading stream shut down", c.Shutdown)
	}
}
