package server_test

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/heraldhq/herald/server"
)

// One client that stops reading must not hold up the others, must not grow
// the server's memory without bound, and must be cut off; when it comes back
// it resumes from history with nothing lost.
func TestASlowConsumerIsCutOffWithoutHurtingOthersAndResumes(t *testing.T) {
	const (
		events  = 10_000
		batch   = 100
		readers = 3
	)
	srv, ts := newTestServer(t, server.Config{
		QueueEvents:  1024,
		QueueBytes:   1 << 20,
		WriteTimeout: 2 * time.Second,
		HistoryBytes: 32 << 20,
	})
	stuck := openStuckStream(t, ts, "/events?topic=public")
	defer stuck.Close()
	var streams []*stream
	for i := 0; i < readers; i++ {
		// A plain stream: this test is about queues, and the race
		// detector makes compressing 10,000 events slower than its bounds.
		s := openStream(t, ts, "/events?topic=public", hdr("Accept-Encoding", "identity"))
		s.start()
		streams = append(streams, s)
	}
	waitFor(t, "every stream subscribed", func() bool { return srv.Stats().Streams == readers+1 })
	heapBefore := heapInUse()

	// The publisher goes on as soon as the reading clients have the batch
	// before last: they are never more than two batches behind, well within
	// their queues, while the stuck client falls ever further behind.
	results := make(chan readResult, readers)
	progress := make([]atomic.Int64, readers)
	for i, s := range streams {
		go func() { results <- s.readEvents(events, 30*time.Second, &progress[i]) }()
	}
	ids := publishBatches(t, ts, events, batch, 1<<10, func(published int) {
		waitFor(t, "the reading clients to keep up", func() bool {
			for i := range progress {
				if progress[i].Load() < int64(published-batch) {
					return false
				}
			}
			return true
		})
	})
	for i := 0; i < readers; i++ {
		r := <-results
		if r.err != nil {
			t.Fatalf("a reading client got %d of %d events: %v", len(r.ids), events, r.err)
		}
		if !equalIDs(r.ids, ids) {
			t.Fatal("a reading client got events out of order, twice or not at all")
		}
		if r.maxLag > 5*time.Second {
			t.Errorf("a reading client lagged %v behind the publisher", r.maxLag)
		}
	}
	waitFor(t, "the stuck stream cut off", func() bool {
		c := srv.Stats().Closed
		return c.SlowConsumer+c.WriteTimeout >= 1
	})
	if grew := heapInUse() - heapBefore; grew > 64<<20 {
		t.Errorf("heap grew by %d MiB with a stuck client; the history holds at most 32", grew>>20)
	}

	first, _ := strconv.ParseUint(ids[0], 10, 64)
	h := http.Header{}
	h.Set("Last-Event-ID", strconv.FormatUint(first-1, 10))
	back := openStream(t, ts, "/events?topic=public", h)
	back.startResumed()
	if r := back.readEvents(events, 30*time.Second, nil); r.err != nil || !equalIDs(r.ids, ids) {
		t.Fatalf("the stuck client resumed with %d of %d events (err %v)", len(r.ids), events, r.err)
	}
}

// openStuckStream opens a stream over a socket with a tiny receive buffer
// and never reads from it.
func openStuckStream(t *testing.T, ts *httptest.Server, path string) net.Conn {
	t.Helper()
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		})
		if err != nil {
			return err
		}
		return serr
	}}
	conn, err := d.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n\r\n", path, conn.RemoteAddr())
	return conn
}

// readResult is what a reading client saw.
type readResult struct {
	ids    []string
	maxLag time.Duration
	err    error
}

// readEvents reads n events from s and returns their ids, with the longest
// delay between an event's publication (its data's "at") and its arrival.
// It counts the events in progress, when given, as they come.
func (s *stream) readEvents(n int, timeout time.Duration, progress *atomic.Int64) readResult {
	var r readResult
	deadline := time.Now().Add(timeout)
	for len(r.ids) < n {
		if time.Now().After(deadline) {
			r.err = fmt.Errorf("timed out after %v", timeout)
			return r
		}
		lines, err := readFrame(s)
		if err != nil {
			r.err = err
			return r
		}
		if _, _, ok := cutPosition(lines); ok || len(lines) < 2 || !strings.HasPrefix(lines[0], "id: ") {
			continue // not an event: the retry, or the herald.position event
		}
		r.ids = append(r.ids, strings.TrimPrefix(lines[0], "id: "))
		if progress != nil {
			progress.Add(1)
		}
		var data struct{ At time.Time }
		if err := json.Unmarshal([]byte(strings.TrimPrefix(lines[len(lines)-1], "data: ")), &data); err == nil && !data.At.IsZero() {
			r.maxLag = max(r.maxLag, time.Since(data.At))
		}
	}
	return r
}

func readFrame(s *stream) ([]string, error) {
	var lines []string
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return lines, err
		}
		if line == "\n" {
			return lines, nil
		}
		lines = append(lines, strings.TrimSuffix(line, "\n"))
	}
}

// publishBatches publishes n log events of about size bytes each in batches,
// calling afterBatch with the number published after each, and returns their
// ids in order.
func publishBatches(t *testing.T, ts *httptest.Server, n, batch, size int, afterBatch func(published int)) []string {
	t.Helper()
	var ids []string
	text := strings.Repeat("x", size)
	for len(ids) < n {
		var reqs []string
		for i := 0; i < batch && len(ids)+i < n; i++ {
			data, _ := json.Marshal(map[string]any{"at": time.Now(), "level": "info", "text": text})
			reqs = append(reqs, `{"topic":"public","type":"log","data":`+string(data)+`}`)
		}
		status, out := publish(t, ts, "["+strings.Join(reqs, ",")+"]")
		if status != 200 {
			t.Fatalf("publish: %d %v", status, out)
		}
		for _, id := range out["ids"].([]any) {
			ids = append(ids, id.(string))
		}
		afterBatch(len(ids))
	}
	return ids
}

func equalIDs(a, b []string) bool {
	return strings.Join(a, ",") == strings.Join(b, ",")
}

// waitFor polls cond for up to 10 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse)
}
