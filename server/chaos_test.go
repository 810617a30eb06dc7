package server_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	demo "github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/app/eventsource"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/engine"
	"github.com/heraldhq/herald/shared"
)

// Many clients read while events are published at full speed and
// connections are cut at random from both ends; in the end every client has
// every event exactly once, in order.
func TestEveryClientGetsEveryEventOnceInOrderWhileConnectionsAreCut(t *testing.T) {
	const (
		clients = 200
		events  = 20_000
		batch   = 50
		minCuts = 300
	)
	srv, err := server.New(server.Config{
		Schema:        demo.Schema,
		Retry:         20 * time.Millisecond,
		HistoryEvents: 2 * events,
		// Every client is on 127.0.0.1, and a cut stream may linger a moment
		// after its client reconnected.
		MaxConns:          10 * clients,
		MaxConnsPerClient: 10 * clients,
	})
	if err != nil {
		t.Fatal(err)
	}
	serverConns := newConnSet()
	ts := httptest.NewUnstartedServer(srv.Handler())
	ts.Config.ConnState = serverConns.track
	ts.Start()
	t.Cleanup(func() { srv.Drain(); ts.Close() })

	readers := make([]*orderedReader, clients)
	clientConns := newConnSet()
	for i := range readers {
		readers[i] = openOrderedReader(t, ts.URL+"/events?topic=public", clientConns)
	}
	waitFor(t, "every client connected", func() bool { return srv.Stats().Streams == clients })
	publishFirstBatch(t, srv, readers, batch)

	published := make(chan struct{})
	go func() {
		defer close(published)
		publishProbes(t, srv, batch, events, batch)
	}()
	cuts := cutUntil(published, minCuts, serverConns, clientConns)

	deadline := time.Now().Add(3 * time.Minute)
	for _, r := range readers {
		for r.count.Load() < events && r.failure() == nil && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if err := r.failure(); err != nil {
			t.Fatal(err)
		}
		if n := r.count.Load(); n != events {
			t.Fatalf("a client got %d of %d events", n, events)
		}
	}
	st := srv.Stats()
	t.Logf("%d clients got all %d events in order across %d cuts (%d streams opened, %d events replayed)",
		clients, events, cuts, st.Opened, st.Replayed)
	if cuts < minCuts {
		t.Errorf("only %d cuts, want at least %d", cuts, minCuts)
	}
}

// publishFirstBatch publishes probes 0 to batch-1 and waits until every
// reader has them. A client resumes from the id it last read, and one cut
// before it read any starts again from the live end, so cuts wait for this.
func publishFirstBatch(t *testing.T, srv *server.Server, readers []*orderedReader, batch int) {
	publishProbes(t, srv, 0, batch, batch)
	waitFor(t, "every client got the first batch", func() bool {
		for _, r := range readers {
			if r.count.Load() < int64(batch) {
				return false
			}
		}
		return true
	})
}

// publishProbes publishes the probes numbered from up to to, in batches.
func publishProbes(t *testing.T, srv *server.Server, from, to, batch int) {
	for s := from; s < to; s += batch {
		msgs := make([]engine.Message, 0, batch)
		for i := s; i < min(s+batch, to); i++ {
			data, _ := shared.ProbeEvent.Encode(shared.Probe{T: time.Now().UnixNano(), S: int64(i)})
			msgs = append(msgs, engine.Message{Topic: "public", Type: "probe", Data: data})
		}
		if _, err := srv.Publish(msgs...); err != nil {
			t.Errorf("publish: %v", err)
			return
		}
	}
}

// cutUntil closes connections at random, server side or client side, until
// done is closed and at least min cuts were made. It returns the number of
// cuts.
func cutUntil(done <-chan struct{}, min int, sides ...*connSet) int {
	cuts := 0
	for {
		select {
		case <-done:
			if cuts >= min {
				return cuts
			}
		default:
		}
		if sides[rand.N(len(sides))].closeOne() {
			cuts++
		}
		time.Sleep(time.Duration(rand.N(500)) * time.Microsecond)
	}
}

// orderedReader is a client that checks that probes arrive exactly once, in
// order.
type orderedReader struct {
	count atomic.Int64
	mu    sync.Mutex
	err   error
}

func openOrderedReader(t *testing.T, url string, conns *connSet) *orderedReader {
	r := &orderedReader{}
	dialer := &net.Dialer{}
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dialer.DialContext(ctx, network, addr)
			if err == nil {
				conns.add(c)
			}
			return c, err
		},
	}}
	// Plain streams: these tests are about cuts and order, and the race
	// detector makes compressing thousands of events slower than their
	// bounds. Gzip streams have tests of their own (gzip_test.go).
	src, err := eventsource.New(url, eventsource.WithHTTPClient(client), eventsource.WithHeader("Accept-Encoding", "identity"))
	if err != nil {
		t.Fatal(err)
	}
	eventsource.On(src, shared.ProbeEvent, func(p shared.Probe) {
		if want := r.count.Load(); p.S != want {
			r.fail(fmt.Errorf("a client got probe %d after %d probes", p.S, want))
			return
		}
		r.count.Add(1)
	})
	src.OnGap(func(g shared.Gap) { r.fail(fmt.Errorf("a client was told of a gap: %+v", g)) })
	src.Start()
	t.Cleanup(src.Close)
	return r
}

func (r *orderedReader) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err == nil {
		r.err = err
	}
}

func (r *orderedReader) failure() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// connSet is a set of open connections, one side of the test's links.
type connSet struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

func newConnSet() *connSet { return &connSet{conns: map[net.Conn]struct{}{}} }

func (s *connSet) add(c net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conns[c] = struct{}{}
}

// track follows a server's connections through http.Server.ConnState.
func (s *connSet) track(c net.Conn, state http.ConnState) {
	switch state {
	case http.StateActive:
		s.add(c)
	case http.StateClosed, http.StateHijacked:
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
	}
}

// closeOne closes a connection at random and reports whether there was one.
func (s *connSet) closeOne() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		delete(s.conns, c)
		c.Close()
		return true
	}
	return false
}
