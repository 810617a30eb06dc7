package transport

import (
	"io"
	"net"
	"testing"
	"time"
)

// loopbackPair returns the two ends of a TCP connection on loopback.
func loopbackPair(t *testing.T) (server, client net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	client, err = net.DialTimeout("tcp", ln.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case server = <-accepted:
	case <-time.After(5 * time.Second):
		t.Fatal("no connection accepted within 5s")
	}
	if server == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { server.Close(); client.Close() })
	return server, client
}

// A Write that had to wait for the client leaves no deadline behind: the
// writes after it succeed, however long after the write timeout they come.
func TestAWriteLeavesNoDeadlineForTheWritesAfterIt(t *testing.T) {
	const timeout = 100 * time.Millisecond
	server, client := loopbackPair(t)
	go func() { _, _ = io.Copy(io.Discard, client) }()
	c, err := newConn(server, timeout)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Write([]byte("first")); err != nil {
		t.Fatalf("first write: %v", err)
	}
	time.Sleep(2 * timeout)
	if _, err := c.TryWrite([]byte("second")); err != nil {
		t.Errorf("TryWrite after the write timeout passed: %v, want it written", err)
	}
	if err := c.Write([]byte("third")); err != nil {
		t.Errorf("Write after the write timeout passed: %v, want it written", err)
	}
}

// A client that does not read takes in its receive window and little more:
// a write to it stops taking bytes once MaxUnsent wait to be sent, instead of
// filling a send buffer that the kernel grows to megabytes.
func TestAClientThatDoesNotReadTakesInLittleMoreThanMaxUnsent(t *testing.T) {
	server, _ := loopbackPair(t)
	c, err := newConn(server, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 64<<10)
	taken := 0
	deadline := time.Now().Add(5 * time.Second)
	for i := 0; i < 1000 && time.Now().Before(deadline); i++ {
		n, err := c.TryWrite(chunk)
		if err != nil {
			t.Fatalf("TryWrite: %v", err)
		}
		taken += n
		if n < len(chunk) {
			break
		}
		time.Sleep(time.Millisecond) // for loopback to move what it can
	}
	if limit := 1 << 20; taken > limit {
		t.Errorf("a client that does not read took %d KiB, want at most %d KiB", taken>>10, limit>>10)
	}
}
