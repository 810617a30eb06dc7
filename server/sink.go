package server

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"
)

// A write buffer holds the bytes to write after chunkRoom bytes of room,
// where a connSink puts the header of an HTTP/1.1 chunk.

// responseSink writes through the handler's ResponseWriter: for HTTP/2, and
// for a stream's preamble before it leaves net/http.
type responseSink struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
}

// write sends buf[chunkRoom:] and flushes it, within the write timeout.
func (s *responseSink) write(buf []byte) error {
	if len(buf) == chunkRoom {
		return nil
	}
	if err := s.rc.SetWriteDeadline(time.Now().Add(s.timeout)); err != nil && err != http.ErrNotSupported {
		return err
	}
	if _, err := s.w.Write(buf[chunkRoom:]); err != nil {
		return err
	}
	return s.rc.Flush()
}

// connSink writes HTTP/1.1 chunks to a connection taken from net/http.
type connSink struct {
	conn    net.Conn
	raw     syscall.RawConn
	timeout time.Duration
	stop    func() // stops watching conn for a hang-up

	// The arguments and results of tryWrite's system call, so that
	// writeNow, made once, allocates nothing.
	p        []byte
	n        int
	err      error
	writeNow func(fd uintptr) bool
}

// newConnSink returns the sink of conn, whose writes wait at most timeout.
func newConnSink(conn net.Conn, timeout time.Duration) (*connSink, error) {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return nil, fmt.Errorf("write to %s: %w", conn.RemoteAddr(), errors.ErrUnsupported)
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil, fmt.Errorf("write to %s: %w", conn.RemoteAddr(), err)
	}
	s := &connSink{conn: conn, raw: raw, timeout: timeout, stop: func() {}}
	s.writeNow = s.write1
	return s, nil
}

// frame returns buf[chunkRoom:] framed as a chunk, using buf's room, and
// followed by the last chunk when last is set.
func (s *connSink) frame(buf []byte, last bool) []byte {
	out := buf[chunkRoom:]
	if n := len(out); n > 0 {
		var hdr [chunkRoom]byte
		h := append(strconv.AppendUint(hdr[:0], uint64(n), 16), '\r', '\n')
		start := chunkRoom - len(h)
		copy(buf[start:], h)
		out = append(buf[start:], '\r', '\n')
	}
	if last {
		out = append(out, "0\r\n\r\n"...)
	}
	return out
}

// tryWrite writes as much of p as the socket takes now, without waiting.
func (s *connSink) tryWrite(p []byte) (int, error) {
	s.p, s.n = p, 0
	err := s.raw.Write(s.writeNow)
	n, werr := max(s.n, 0), s.err
	s.p, s.err = nil, nil
	if werr == syscall.EAGAIN {
		werr = nil
	}
	return n, errors.Join(err, werr)
}

// write writes p, waiting for the client within the write timeout.
func (s *connSink) write(p []byte) error {
	if err := s.conn.SetWriteDeadline(time.Now().Add(s.timeout)); err != nil {
		return err
	}
	_, err := s.conn.Write(p)
	return err
}

// close stops watching the connection and closes it.
func (s *connSink) close() {
	s.stop()
	_ = s.conn.Close()
}
