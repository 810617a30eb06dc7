package server_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	demo "github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
)

// With as many writers as Ps, and more Ps than cores, every client still
// gets every event exactly once, in the order of their ids, whether the
// events come one by one or in batches.
func TestEveryClientGetsEveryEventInOrderWithAWriterPerP(t *testing.T) {
	for _, c := range []struct {
		procs, batch int
	}{
		{procs: 2, batch: 1},
		{procs: 4, batch: 1},
		{procs: 8, batch: 20},
	} {
		t.Run(fmt.Sprintf("GOMAXPROCS %d, batches of %d", c.procs, c.batch), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(c.procs))
			checkOrderUnderLoad(t, 100, 4000, c.batch)
		})
	}
}

// checkOrderUnderLoad publishes events probes in batches to clients
// readers, and fails t unless each reader gets them all, in order.
func checkOrderUnderLoad(t *testing.T, clients, events, batch int) {
	srv, err := server.New(server.Config{
		Schema: demo.Schema, HistoryEvents: 2 * events,
		MaxConns: 2 * clients, MaxConnsPerClient: 2 * clients,
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := newHTTPServer(t, srv)
	conns := newConnSet()
	readers := make([]*orderedReader, clients)
	for i := range readers {
		readers[i] = openOrderedReader(t, ts.URL+"/events?topic=public", conns)
	}
	waitFor(t, "every client connected", func() bool { return srv.Stats().Streams == int64(clients) })
	publishProbes(t, srv, 0, events, batch)
	deadline := time.Now().Add(time.Minute)
	for _, r := range readers {
		for r.count.Load() < int64(events) && r.failure() == nil && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if err := r.failure(); err != nil {
			t.Fatal(err)
		}
		if n := r.count.Load(); n != int64(events) {
			t.Fatalf("a client got %d of %d events", n, events)
		}
	}
}
