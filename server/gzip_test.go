package server_test

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/server"
)

func TestStreamsAreGzippedForClientsWhoseAcceptEncodingTakesIt(t *testing.T) {
	tests := []struct {
		name           string
		noGzip         bool
		acceptEncoding string
		wantEncoding   string
		wantVary       bool
	}{
		{"a browser's Accept-Encoding gets gzip", false, "gzip, deflate, br, zstd", "gzip", true},
		{"gzip refused with q=0 gets the stream as it is", false, "gzip;q=0, br", "", true},
		{"no Accept-Encoding gets the stream as it is", false, "identity", "", true},
		{"with compression off, gzip is not used", true, "gzip", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ts := newTestServer(t, server.Config{NoGzip: tt.noGzip})
			s := openEncodedStream(t, ts.Client(), ts.URL, tt.acceptEncoding)
			if got := s.resp.Header.Get("Content-Encoding"); got != tt.wantEncoding {
				t.Errorf("Content-Encoding = %q, want %q", got, tt.wantEncoding)
			}
			if got := strings.Contains(strings.Join(s.resp.Header.Values("Vary"), ","), "Accept-Encoding"); got != tt.wantVary {
				t.Errorf("Vary = %q: names Accept-Encoding %v, want %v", s.resp.Header.Values("Vary"), got, tt.wantVary)
			}
			s.start()
			expectLiveEvents(t, ts, s, "one", "two")
		})
	}
}

func TestAGzipStreamGetsEachEventAsItIsPublishedOnEveryPath(t *testing.T) {
	tests := []struct {
		name  string
		start func(t *testing.T, h http.Handler) *httptest.Server
	}{
		{"HTTP/1.1, the connection taken from net/http", func(t *testing.T, h http.Handler) *httptest.Server {
			return httptest.NewServer(h)
		}},
		{"HTTP/1.1 behind a middleware, in the handler", func(t *testing.T, h http.Handler) *httptest.Server {
			return httptest.NewServer(logging(h))
		}},
		{"HTTP/2, in the handler", func(t *testing.T, h http.Handler) *httptest.Server {
			ts := httptest.NewUnstartedServer(h)
			ts.EnableHTTP2 = true
			ts.StartTLS()
			return ts
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := server.New(server.Config{Schema: testSchema(), PublishToken: token})
			if err != nil {
				t.Fatal(err)
			}
			ts := tt.start(t, srv.Handler())
			t.Cleanup(func() { srv.Drain(); ts.Close() })
			s := openEncodedStream(t, ts.Client(), ts.URL, "gzip")
			if s.resp.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("Content-Encoding = %q, want gzip", s.resp.Header.Get("Content-Encoding"))
			}
			s.start()
			expectLiveEvents(t, ts, s, "one", strings.Repeat("a long line ", 400), "three")
			st := srv.Stats()
			if st.BytesWritten >= st.BytesUncompressed {
				t.Errorf("%d bytes written of %d uncompressed: compression saved nothing", st.BytesWritten, st.BytesUncompressed)
			}
		})
	}
}

func TestAGzipStreamThatEndsCleanlyEndsWithAValidTrailer(t *testing.T) {
	tests := []struct {
		name  string
		start func(h http.Handler) *httptest.Server
	}{
		{"HTTP/1.1, the connection taken from net/http", httptest.NewServer},
		{"HTTP/1.1 behind a middleware, in the handler", func(h http.Handler) *httptest.Server { return httptest.NewServer(logging(h)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := server.New(server.Config{Schema: testSchema(), PublishToken: token, MaxLifetime: 400 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			ts := tt.start(srv.Handler())
			t.Cleanup(func() { srv.Drain(); ts.Close() })
			s := openEncodedStream(t, ts.Client(), ts.URL, "gzip")
			s.start()
			expectLiveEvents(t, ts, s, "before the end")
			rest, err := readAllWithin(s.r, 5*time.Second)
			if err != nil {
				t.Fatalf("reading the gzip stream to its end: %v (after %q)", err, rest)
			}
			if !strings.HasPrefix(rest, "retry: ") {
				t.Errorf("the stream ends with %q, want the retry of its lifetime's end", rest)
			}
			// The stream is counted closed once its last bytes are written,
			// which may be after the client read them.
			waitFor(t, "the stream to be counted closed at its lifetime", func() bool { return srv.Stats().Closed.Lifetime == 1 })
		})
	}
}

// openEncodedStream opens a stream of topic public at base with client, asking
// for acceptEncoding itself, so that net/http does not decompress, and
// reads it through compress/gzip when it comes gzipped.
func openEncodedStream(t *testing.T, client *http.Client, base, acceptEncoding string) *stream {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/events?topic=public", nil)
	req.Header.Set("Accept-Encoding", acceptEncoding)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET /events: %v", err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /events: status %d", resp.StatusCode)
	}
	var body io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		gz, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatalf("reading the gzip header: %v", err)
		}
		body = gz
	}
	return &stream{t: t, resp: resp, r: bufio.NewReader(body)}
}

// expectLiveEvents publishes a notification of each message to public and
// checks that s gets each before the next is published.
func expectLiveEvents(t *testing.T, ts *httptest.Server, s *stream, messages ...string) {
	t.Helper()
	for i, msg := range messages {
		if status, out := publishVia(t, ts, notification("public", msg)); status != http.StatusOK {
			t.Fatalf("publish %d: %d %v", i, status, out)
		}
		got := s.next()
		if len(got) != 3 || !strings.Contains(got[2], `"message":"`+msg+`"`) {
			t.Fatalf("event %d = %.200q, want the notification %.50q", i, got, msg)
		}
	}
}

// publishVia publishes body through ts's own client, which trusts its
// certificate.
func publishVia(t *testing.T, ts *httptest.Server, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", ts.URL+"/publish", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, map[string]any{"body": string(out)}
}

// readAllWithin reads r to its end, failing after d.
func readAllWithin(r io.Reader, d time.Duration) (string, error) {
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := io.ReadAll(r)
		done <- result{b, err}
	}()
	select {
	case res := <-done:
		return string(res.b), res.err
	case <-time.After(d):
		return "", context.DeadlineExceeded
	}
}

func TestAnIdleGzipStreamHoldsNoCompressor(t *testing.T) {
	const streams = 100
	srv, ts := newTestServer(t, server.Config{MaxConnsPerClient: 4 * streams})
	heapPerStream := func(acceptEncoding string) float64 {
		before := liveHeap()
		conns := make([]net.Conn, streams)
		for i := range conns {
			conns[i] = openIdleStream(t, ts.Listener.Addr().String(), acceptEncoding)
		}
		waitFor(t, "the streams to open", func() bool { return srv.Stats().Streams == streams })
		per := float64(liveHeap()-before) / streams
		for _, c := range conns {
			c.Close()
		}
		waitFor(t, "the streams to close", func() bool { return srv.Stats().Streams == 0 })
		return per
	}
	// A first round of each warms the pools and the connections up; the
	// least of two rounds more is the figure.
	heapPerStream("identity")
	heapPerStream("gzip")
	plain := min(heapPerStream("identity"), heapPerStream("identity"))
	gzipped := min(heapPerStream("gzip"), heapPerStream("gzip"))
	t.Logf("live heap per idle stream: %.0f bytes plain, %.0f gzipped", plain, gzipped)
	// A compressor (compress/flate's holds hundreds of KB) or any buffer
	// kept per stream would show far above this margin.
	if gzipped > plain+4096 {
		t.Errorf("an idle gzip stream holds %.0f bytes of heap, %.0f more than a plain one", gzipped, gzipped-plain)
	}
}

// liveHeap returns the bytes of live heap after a collection.
func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// openIdleStream opens a stream of public over a bare connection to addr,
// asking for acceptEncoding, and reads its header, never more.
func openIdleStream(t *testing.T, addr, acceptEncoding string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	fmt.Fprintf(c, "GET /events?topic=public HTTP/1.1\r\nHost: %s\r\nAccept-Encoding: %s\r\n\r\n", addr, acceptEncoding)
	var status [12]byte
	if _, err := io.ReadFull(c, status[:]); err != nil || string(status[9:]) != "200" {
		t.Fatalf("stream over a bare connection: %q, %v", status, err)
	}
	return c
}
