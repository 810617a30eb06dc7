package server_test

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/server"
)

// Many clients that never read, taking in what their sockets hold and then
// nothing, must not get the clients that read cut off: every reader gets
// every event, while the stuck ones are cut off as slow consumers or at the
// write timeout.
func TestStuckClientsDoNotGetHealthyReadersCutOff(t *testing.T) {
	const (
		stuck   = 100
		readers = 5
		events  = 100
		size    = 100 << 10 // 10 MB in all
	)
	srv, ts := newTestServer(t, server.Config{
		MaxConnsPerClient: stuck + readers + 10,
	})
	var stuckConns []net.Conn
	for range stuck {
		stuckConns = append(stuckConns, openNeverReadingStream(t, ts.Listener.Addr().String(), "/events?topic=public"))
	}
	defer func() {
		for _, c := range stuckConns {
			c.Close()
		}
	}()
	var streams []*stream
	for range readers {
		s := openStream(t, ts, "/events?topic=public", nil)
		s.start()
		streams = append(streams, s)
	}
	waitFor(t, "every stream subscribed", func() bool { return srv.Stats().Streams == stuck+readers })

	results := make(chan readResult, readers)
	for _, s := range streams {
		go func() { results <- s.readEvents(events, 60*time.Second, nil) }()
	}
	ids := publishBatches(t, ts, events, 1, size, func(int) {})
	for range readers {
		r := <-results
		if r.err != nil || !equalIDs(r.ids, ids) {
			c := srv.Stats().Closed
			t.Fatalf("a reading client got %d of %d events (err %v); closed: %d slow consumers, %d write timeouts",
				len(r.ids), events, r.err, c.SlowConsumer, c.WriteTimeout)
		}
	}
	waitFor(t, "the stuck streams cut off", func() bool {
		c := srv.Stats().Closed
		return c.SlowConsumer+c.WriteTimeout >= stuck
	})
}

// openNeverReadingStream opens a stream over a plain socket, with the system's
// buffer sizes, and never reads from it.
func openNeverReadingStream(t *testing.T, addr, path string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n\r\n", path, strings.Split(addr, ":")[0])
	return conn
}
