package transport

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"
	"time"
)

// Conn writes HTTP/1.1 chunks to a connection taken from net/http (see
// Hijack), without a goroutine or a buffer of its own while idle.
type Conn struct {
	conn    net.Conn
	raw     syscall.RawConn
	timeout time.Duration
	stop    func() // stops watching conn for a hang-up

	// The arguments and results of TryWrite's system call, so that
	// writeNow, made once, allocates nothing.
	p        []byte
	n        int
	err      error
	writeNow func(fd uintptr) bool
}

// newConn returns the Conn of conn, whose writes wait at most timeout.
func newConn(conn net.Conn, timeout time.Duration) (*Conn, error) {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return nil, fmt.Errorf("write to %s: %w", conn.RemoteAddr(), errors.ErrUnsupported)
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil, fmt.Errorf("write to %s: %w", conn.RemoteAddr(), err)
	}
	if err := limitUnsent(raw); err != nil {
		return nil, fmt.Errorf("write to %s: %w", conn.RemoteAddr(), err)
	}
	s := &Conn{conn: conn, raw: raw, timeout: timeout, stop: func() {}}
	s.writeNow = s.write1
	return s, nil
}

// Frame returns buf[ChunkRoom:] framed as a chunk, using buf's room, and
// followed by the last chunk when last is set.
func (s *Conn) Frame(buf []byte, last bool) []byte {
	out := buf[ChunkRoom:]
	if n := len(out); n > 0 {
		var hdr [ChunkRoom]byte
		h := append(strconv.AppendUint(hdr[:0], uint64(n), 16), '\r', '\n')
		start := ChunkRoom - len(h)
		copy(buf[start:], h)
		out = append(buf[start:], '\r', '\n')
	}
	if last {
		out = append(out, "0\r\n\r\n"...)
	}
	return out
}

// TryWrite writes as much of p as the socket takes now, without waiting.
func (s *Conn) TryWrite(p []byte) (int, error) {
	s.p, s.n = p, 0
	err := s.raw.Write(s.writeNow)
	n, werr := max(s.n, 0), s.err
	s.p, s.err = nil, nil
	if werr == syscall.EAGAIN {
		werr = nil
	}
	return n, errors.Join(err, werr)
}

// Write writes p, waiting for the client within the write timeout. The
// deadline is lifted afterwards: left in place, it would fail the next
// TryWrite once it passed, however healthy the client.
func (s *Conn) Write(p []byte) error {
	if err := s.conn.SetWriteDeadline(time.Now().Add(s.timeout)); err != nil {
		return err
	}
	_, err := s.conn.Write(p)
	if err != nil {
		return err
	}
	return s.conn.SetWriteDeadline(time.Time{})
}

// Close stops watching the connection for a hang-up and closes it.
func (s *Conn) Close() {
	s.stop()
	_ = s.conn.Close()
}
