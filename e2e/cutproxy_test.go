package e2e

import (
	"bytes"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// cutProxy is a loopback TCP proxy in front of a herald instance. It lets the
// first connection through until the server has sent the end of the first
// frame of its stream, then cuts it: a client that reads the preamble and not
// one event. It holds every later connection at a gate until Release, and
// keeps the first bytes each client sent, its request.
type cutProxy struct {
	Addr string

	target string
	cut    chan struct{} // closed once the first connection is cut
	gate   chan struct{} // closed by Release

	mu       sync.Mutex
	conns    int
	held     int
	requests []string
	open     []net.Conn
}

// requestHeadLimit bounds the bytes of each request the proxy keeps.
const requestHeadLimit = 4096

// newCutProxy starts a proxy to the host:port target; it stops when the test
// ends.
func newCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen on loopback: %v", err)
	}
	p := &cutProxy{Addr: ln.Addr().String(), target: target, cut: make(chan struct{}), gate: make(chan struct{})}
	go p.serve(ln)
	t.Cleanup(func() {
		ln.Close()
		p.closeAll()
	})
	return p
}

// serve accepts connections until ln is closed.
func (p *cutProxy) serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.conns++
		first := p.conns == 1
		p.open = append(p.open, c)
		p.mu.Unlock()
		go p.handle(c, first)
	}
}

// handle carries one client connection to the target: the first one until
// its preamble has passed, the others once the gate opens.
func (p *cutProxy) handle(c net.Conn, first bool) {
	defer c.Close()
	if !first {
		p.wait()
	}
	up, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		return
	}
	p.track(up)
	defer up.Close()
	req := &headRecorder{w: up}
	go func() {
		_, _ = io.Copy(req, c)
		up.Close()
	}()
	if !first {
		_, _ = io.Copy(c, up)
		p.keep(req)
		return
	}
	_, _ = io.Copy(c, &untilFrameEnd{r: up})
	p.keep(req)
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.CloseWrite() // the client reads what it was sent, then the end
	}
	close(p.cut)
}

// wait counts the connection as held and waits at the gate.
func (p *cutProxy) wait() {
	p.mu.Lock()
	p.held++
	p.mu.Unlock()
	<-p.gate
}

// track records an upstream connection, to close it at the end.
func (p *cutProxy) track(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.open = append(p.open, c)
}

// keep records the request head a client sent.
func (p *cutProxy) keep(r *headRecorder) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests = append(p.requests, r.head())
}

// Held returns how many connections have come to the gate.
func (p *cutProxy) Held() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.held
}

// Release opens the gate to the held connections and to later ones.
func (p *cutProxy) Release() { close(p.gate) }

// Requests returns the request heads of the connections that ended so far.
func (p *cutProxy) Requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.requests...)
}

// closeAll closes every connection, ending the copies.
func (p *cutProxy) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.open {
		c.Close()
	}
}

// untilFrameEnd reads r up to and including the first blank line of an
// event stream, "\n\n", then reports the end. An HTTP header ends with
// "\r\n\r\n", so the first "\n\n" is the end of the stream's first frame.
type untilFrameEnd struct {
	r    io.Reader
	tail []byte // the last byte read, to find a "\n\n" split between reads
	done bool
}

func (u *untilFrameEnd) Read(b []byte) (int, error) {
	if u.done {
		return 0, io.EOF
	}
	n, err := u.r.Read(b)
	seen := append(u.tail, b[:n]...)
	if i := bytes.Index(seen, []byte("\n\n")); i >= 0 {
		u.done = true
		return i + 2 - len(u.tail), nil
	}
	if n > 0 {
		u.tail = []byte{b[n-1]}
	}
	return n, err
}

// headRecorder passes writes to w and keeps the first requestHeadLimit bytes.
type headRecorder struct {
	w   io.Writer
	mu  sync.Mutex
	buf strings.Builder
}

func (h *headRecorder) Write(b []byte) (int, error) {
	h.mu.Lock()
	if room := requestHeadLimit - h.buf.Len(); room > 0 {
		h.buf.Write(b[:min(room, len(b))])
	}
	h.mu.Unlock()
	return h.w.Write(b)
}

// head returns the bytes kept.
func (h *headRecorder) head() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.buf.String()
}
