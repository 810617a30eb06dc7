package main

import (
	"net/http"
	"sync"
	"time"

	"github.com/centrifugal/centrifuge"
)

// writeTimeout bounds each write to a client, as the library's own SSE
// handler does.
const writeTimeout = time.Second

// sseTransport is a unidirectional Server-Sent Events transport on
// centrifuge's Transport interface: the client's writer hands it pushes,
// encoded in JSON, and it writes each as the data of one event, flushing
// once per batch. It writes from the writer's goroutine while the handler
// waits, and not at all once the handler has returned.
type sseTransport struct {
	topic string
	w     http.ResponseWriter
	rc    *http.ResponseController

	mu     sync.Mutex
	closed bool
	done   chan struct{} // closed by Close
	buf    []byte
}

var _ centrifuge.Transport = (*sseTransport)(nil)

func newTransport(w http.ResponseWriter, topic string) *sseTransport {
	return &sseTransport{topic: topic, w: w, rc: http.NewResponseController(w), done: make(chan struct{})}
}

// Name is the transport's name.
func (t *sseTransport) Name() string { return "sse-unidirectional" }

// AcceptProtocol is the protocol of the request.
func (t *sseTransport) AcceptProtocol() string { return "h1" }

// Protocol is the encoding of the pushes: JSON, which an event's data holds.
func (t *sseTransport) Protocol() centrifuge.ProtocolType { return centrifuge.ProtocolTypeJSON }

// ProtocolVersion is the client protocol's version.
func (t *sseTransport) ProtocolVersion() centrifuge.ProtocolVersion {
	return centrifuge.ProtocolVersion2
}

// Unidirectional is true: the client sends no commands.
func (t *sseTransport) Unidirectional() bool { return true }

// Emulation is false: this is no bidirectional emulation.
func (t *sseTransport) Emulation() bool { return false }

// DisabledPushFlags leaves out the connect push, so that the stream carries
// the publications alone.
func (t *sseTransport) DisabledPushFlags() uint64 { return centrifuge.PushFlagConnect }

// PingPongConfig turns pings off: each would be an event the load generator
// counts as not a probe.
func (t *sseTransport) PingPongConfig() centrifuge.PingPongConfig {
	return centrifuge.PingPongConfig{PingInterval: -1, PongTimeout: -1}
}

// Write writes one push.
func (t *sseTransport) Write(data []byte) error { return t.WriteMany(data) }

// WriteMany writes pushes as events, then flushes.
func (t *sseTransport) WriteMany(pushes ...[]byte) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil
	}
	t.buf = t.buf[:0]
	for _, p := range pushes {
		t.buf = append(t.buf, "data: "...)
		t.buf = append(t.buf, p...)
		t.buf = append(t.buf, "\n\n"...)
	}
	_ = t.rc.SetWriteDeadline(time.Now().Add(writeTimeout))
	if _, err := t.w.Write(t.buf); err != nil {
		return err
	}
	return t.rc.Flush()
}

// Close ends the stream: the handler returns.
func (t *sseTransport) Close(centrifuge.Disconnect) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.closed {
		t.closed = true
		close(t.done)
	}
	return nil
}

// finish stops the writes, once the handler returns.
func (t *sseTransport) finish() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
}
