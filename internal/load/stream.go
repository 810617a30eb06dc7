package load

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/heraldhq/herald/shared/sse"
)

// streamBufferSize is the size of a stream's buffer for the answer's
// header; the body is read straight into the parser's buffer.
const streamBufferSize = 2048

// stream is one open event stream and what it received. Its fields are
// written by its own goroutine only, and read once it is done.
type stream struct {
	conn    net.Conn
	body    io.Reader
	seq     *sequence
	hist    *Histogram // shared with other streams
	stats   *shard     // shared with other streams
	other   int64      // events that were not probes
	last    time.Time  // when the last probe arrived
	readErr error      // why the stream ended, when not by the run's end
}

// dialStream opens GET u from source address src (nil: the system's), with
// Accept-Encoding: gzip if gz, and returns the stream once the server has
// answered 200 with an event stream.
func dialStream(ctx context.Context, u *url.URL, src *net.TCPAddr, gz bool, timeout time.Duration) (*stream, error) {
	d := net.Dialer{Timeout: timeout}
	if src != nil {
		d.LocalAddr, d.Control = src, bindControl
	}
	conn, err := d.DialContext(ctx, "tcp", hostPort(u))
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", u.Host, err)
	}
	conn.SetDeadline(time.Now().Add(timeout))
	body, err := request(conn, u, gz)
	if err != nil {
		conn.Close()
		return nil, err
	}
	conn.SetDeadline(time.Time{})
	return &stream{conn: conn, body: body}, nil
}

// request sends the GET of u on conn and reads the answer's header. It
// returns the body, its chunks and gzip undone.
func request(conn net.Conn, u *url.URL, gz bool) (io.Reader, error) {
	req := &http.Request{Method: http.MethodGet, URL: u, Host: u.Host, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Accept": {"text/event-stream"}, "Cache-Control": {"no-cache"}}}
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	if err := req.Write(conn); err != nil {
		return nil, fmt.Errorf("GET %s: send: %w", u, err)
	}
	resp, err := http.ReadResponse(bufio.NewReaderSize(conn, streamBufferSize), req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: read the answer: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("GET %s: the server answered %s: %q", u, resp.Status, b)
	}
	if resp.Header.Get("Content-Encoding") == "gzip" {
		return &gunzip{src: resp.Body}, nil
	}
	return resp.Body, nil
}

// gunzip decodes a gzip body, made on its first read: the gzip header comes
// with the first bytes the server flushes, which may be long after the
// answer's header.
type gunzip struct {
	src io.Reader
	z   *gzip.Reader
}

// Read reads decoded bytes.
func (g *gunzip) Read(p []byte) (int, error) {
	if g.z == nil {
		z, err := gzip.NewReader(g.src)
		if err != nil {
			return 0, fmt.Errorf("read the gzip stream: %w", err)
		}
		g.z = z
	}
	return g.z.Read(p)
}

// stampedReader notes when each read returned, which is when the events it
// holds arrived.
type stampedReader struct {
	src io.Reader
	at  time.Time
}

// Read reads from the source, and notes the time.
func (r *stampedReader) Read(p []byte) (int, error) {
	n, err := r.src.Read(p)
	r.at = time.Now()
	return n, err
}

// read parses the stream's events until it ends or fails, recording each
// probe.
func (s *stream) read() {
	src := &stampedReader{src: s.body}
	rd := sse.NewReader(src)
	for {
		e, err := rd.Next()
		if err != nil {
			s.readErr = err
			return
		}
		t, n, ok := probeFields(e.Data)
		if !ok {
			s.other++
			continue
		}
		s.last = src.at
		if s.seq.see(n) {
			s.stats.distinct.Add(1)
		}
		s.hist.Record(src.at.Sub(time.Unix(0, t)))
	}
}

// hostPort returns the address to dial for u: its host and its port, 80 or
// 443 by its scheme when it names none.
func hostPort(u *url.URL) string {
	if port := u.Port(); port != "" {
		return u.Host
	}
	if u.Scheme == "https" {
		return net.JoinHostPort(u.Hostname(), "443")
	}
	return net.JoinHostPort(u.Hostname(), "80")
}
