package server_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heraldhq/herald/server"
)

// rawStream is a stream read over a connection of its own, as a client that
// is not Go's would read it: the HTTP/1.1 framing is checked by
// http.ReadResponse and the chunked reader.
type rawStream struct {
	conn net.Conn
	resp *http.Response
	body *bufio.Reader
}

func openRawStream(t testing.TB, ts *httptest.Server, path string) *rawStream {
	t.Helper()
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n\r\n", path, ts.Listener.Addr())
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, resp.StatusCode)
	}
	return &rawStream{conn: conn, resp: resp, body: bufio.NewReader(resp.Body)}
}

// frame returns the next frame's lines.
func (s *rawStream) frame(t testing.TB) []string {
	t.Helper()
	_ = s.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var lines []string
	for {
		line, err := s.body.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the stream: %v (after %q)", err, lines)
		}
		if line == "\n" {
			return lines
		}
		lines = append(lines, strings.TrimSuffix(line, "\n"))
	}
}

func TestAPlainHTTP11StreamIsChunkedAndEndsWithTheLastChunkOnDrain(t *testing.T) {
	srv, ts := newTestServer(t, server.Config{Retry: time.Second})
	s := openRawStream(t, ts, "/events?topic=public")
	if len(s.resp.TransferEncoding) != 1 || s.resp.TransferEncoding[0] != "chunked" {
		t.Errorf("Transfer-Encoding = %v, want chunked", s.resp.TransferEncoding)
	}
	if !s.resp.Close {
		t.Error("the answer does not say Connection: close, though the connection ends with the stream")
	}
	checkStart(t, s.frame(t))
	_, out := publish(t, ts, notification("public", "hello"))
	if got := s.frame(t); got[0] != "id: "+out["id"].(string) {
		t.Fatalf("frame = %q, want the event published", got)
	}
	srv.Drain()
	_ = s.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	rest, err := io.ReadAll(s.body)
	if err != nil {
		t.Fatalf("the stream did not end with the last chunk: %v (read %q)", err, rest)
	}
	if !strings.HasPrefix(string(rest), "retry: ") {
		t.Errorf("drain sent %q, want a retry", rest)
	}
}

func TestIdlePlainHTTP11StreamsHoldNoGoroutine(t *testing.T) {
	const streams = 200
	srv, ts := newTestServer(t, server.Config{MaxConnsPerClient: streams + 1})
	s := openRawStream(t, ts, "/events?topic=public")
	s.frame(t) // the server has answered a stream before
	before := runtime.NumGoroutine()
	for range streams {
		openRawStream(t, ts, "/events?topic=public").frame(t)
	}
	waitFor(t, "every stream open", func() bool { return srv.Stats().Streams == streams+1 })
	if grew := runtime.NumGoroutine() - before; grew > streams/4 {
		t.Errorf("%d idle streams hold %d goroutines", streams, grew)
	}
	_, out := publish(t, ts, notification("public", "still there"))
	if got := s.frame(t); got[0] != "id: "+out["id"].(string) {
		t.Fatalf("frame = %q, want the event published", got)
	}
}

func TestAStreamOverHTTP2StaysInItsHandlerAndGetsEvents(t *testing.T) {
	srv, err := server.New(server.Config{Schema: testSchema(), PublishToken: token, Retry: time.Second, Heartbeat: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv.Handler())
	ts.EnableHTTP2 = true
	ts.StartTLS()
	t.Cleanup(func() { srv.Drain(); ts.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/events?topic=public", nil)
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.ProtoMajor != 2 {
		t.Fatalf("stream over %s, want HTTP/2", resp.Proto)
	}
	s := &stream{t: t, resp: resp, r: bufio.NewReader(resp.Body)}
	s.start()
	if line, err := s.r.ReadString('\n'); err != nil || line != ":\n" {
		t.Fatalf("got %q, %v; want a heartbeat comment", line, err)
	}
	s.r.ReadString('\n') // the heartbeat's blank line

	preq, _ := http.NewRequest("POST", ts.URL+"/publish", strings.NewReader(notification("public", "over h2")))
	preq.Header.Set("Authorization", "Bearer "+token)
	presp, err := ts.Client().Do(preq)
	if err != nil {
		t.Fatal(err)
	}
	presp.Body.Close()
	for {
		got := s.next()
		if len(got) == 3 && strings.Contains(got[2], "over h2") {
			break
		}
		if len(got) != 1 || got[0] != ":" {
			t.Fatalf("frame = %q, want the event published", got)
		}
	}
	srv.Drain()
	for {
		got := s.next()
		if len(got) == 1 && strings.HasPrefix(got[0], "retry: ") {
			break
		}
	}
	if _, err := s.r.ReadByte(); err == nil {
		t.Error("stream still open after drain")
	}
}

func TestAStreamEndsAtItsLifetimeWithAShortRetry(t *testing.T) {
	srv, ts := newTestServer(t, server.Config{MaxLifetime: 100 * time.Millisecond, Retry: 5 * time.Second})
	s := openRawStream(t, ts, "/events?topic=public")
	checkStart(t, s.frame(t))
	got := s.frame(t)
	if len(got) != 1 || !strings.HasPrefix(got[0], "retry: ") {
		t.Fatalf("at its lifetime the stream sent %q, want a retry", got)
	}
	var ms int
	if _, err := fmt.Sscanf(got[0], "retry: %d", &ms); err != nil || ms >= 1000 {
		t.Errorf("retry = %q, want under a second", got[0])
	}
	if _, err := io.ReadAll(s.body); err != nil {
		t.Errorf("the stream did not end with the last chunk: %v", err)
	}
	waitFor(t, "the stream counted closed at its lifetime", func() bool { return srv.Stats().Closed.Lifetime == 1 })
}

// Streams that left net/http are cut by the server side too: every client
// still gets every event once, in order. (http.Server forgets a connection
// once it is taken from it, so these cuts go through the listener.)
func TestEveryClientGetsEveryEventWhenLiveStreamsAreCutServerSide(t *testing.T) {
	const (
		clients = 50
		events  = 5_000
		batch   = 20
		minCuts = 100
	)
	srv, err := server.New(server.Config{
		Schema:            testSchema(),
		Retry:             20 * time.Millisecond,
		HistoryEvents:     2 * events,
		MaxConns:          10 * clients,
		MaxConnsPerClient: 10 * clients,
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv.Handler())
	accepted := &acceptedConns{Listener: ts.Listener}
	ts.Listener = accepted
	ts.Start()
	t.Cleanup(func() { srv.Drain(); ts.Close() })

	readers := make([]*orderedReader, clients)
	for i := range readers {
		readers[i] = openOrderedReader(t, ts.URL+"/events?topic=public", newConnSet())
	}
	waitFor(t, "every client connected", func() bool { return srv.Stats().Streams == clients })
	publishFirstBatch(t, srv, readers, batch)
	published := make(chan struct{})
	go func() {
		defer close(published)
		publishProbes(t, srv, batch, events, batch)
	}()
	cuts := 0
	for done := false; !done || cuts < minCuts; {
		select {
		case <-published:
			done = true
		default:
		}
		if accepted.closeOne() {
			cuts++
		}
		time.Sleep(time.Millisecond)
	}
	for _, r := range readers {
		waitFor(t, "a client to get every event", func() bool { return r.count.Load() == events || r.failure() != nil })
		if err := r.failure(); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d clients got all %d events in order across %d server-side cuts", clients, events, cuts)
}

// acceptedConns is a listener that remembers the connections it accepted,
// so that a test can close them from the server side.
type acceptedConns struct {
	net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func (l *acceptedConns) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.mu.Lock()
		l.conns = append(l.conns, c)
		l.mu.Unlock()
	}
	return c, err
}

// closeOne closes one accepted connection at random, and reports whether it
// was open.
func (l *acceptedConns) closeOne() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.conns) == 0 {
		return false
	}
	i := rand.N(len(l.conns))
	c := l.conns[i]
	l.conns[i] = l.conns[len(l.conns)-1]
	l.conns = l.conns[:len(l.conns)-1]
	return c.Close() == nil
}
