package transport

import (
	"net/http"
	"time"
)

// CanHijack reports whether the stream of r can leave net/http once live: a
// GET over plain HTTP/1.1 (HTTP/2 multiplexes streams on one connection and
// TLS keeps buffers of its own), where hang-ups can be watched.
func CanHijack(r *http.Request) bool {
	if r.Method != http.MethodGet || r.TLS != nil || r.ProtoMajor != 1 || r.ProtoMinor < 1 {
		return false
	}
	_, err := hangupWatcher()
	return err == nil
}

// Hijack takes the connection of w from net/http, after the response header
// and what was written through w: net/http's goroutines and buffers for it
// go away, and the Conn writes HTTP/1.1 chunks to the connection itself.
// gone is called, once, when the client hangs up. It fails when w cannot be
// hijacked; when the connection is taken but cannot be written without
// waiting, it is closed, so that the stream's next write through w fails
// and ends it.
func Hijack(w http.ResponseWriter, timeout time.Duration, gone func()) (*Conn, error) {
	watcher, err := hangupWatcher()
	if err != nil {
		return nil, err
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil, err
	}
	c, err := newConn(conn, timeout)
	if err != nil {
		_ = conn.Close()
		return nil, err
	}
	if stop, err := watcher.watch(conn, gone); err == nil {
		c.stop = stop // otherwise heartbeats and write errors find a dead client
	}
	return c, nil
}
