// Package natstest runs a real NATS server with JetStream inside a test
// process, on a loopback port, with its store in a directory of the test's.
// A test can stop it and start it again on the same port and store, as an
// operator restarting NATS would.
package natstest

import (
	"fmt"
	"net"
	"testing"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"
)

// Server is a NATS server with JetStream run by a test.
type Server struct {
	t    testing.TB
	dir  string
	port int
	srv  *natsserver.Server
}

// Start starts a NATS server with JetStream on a free loopback port, with its
// store in a new temporary directory, and shuts it down when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{t: t, dir: t.TempDir(), port: natsserver.RANDOM_PORT}
	s.Restart()
	t.Cleanup(s.Stop)
	return s
}

// URL returns the server's client URL, the same across restarts.
func (s *Server) URL() string { return fmt.Sprintf("nats://127.0.0.1:%d", s.port) }

// Stop shuts the server down and waits until it has, as a NATS restart or
// crash would. Stopping a stopped server does nothing.
func (s *Server) Stop() {
	if s.srv == nil {
		return
	}
	s.srv.Shutdown()
	s.srv.WaitForShutdown()
	s.srv = nil
}

// Restart starts the server again, on the same port and store, and waits until
// it accepts connections. It fails the test if it cannot.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	opts := &natsserver.Options{
		Host:                   "127.0.0.1",
		Port:                   s.port,
		JetStream:              true,
		StoreDir:               s.dir,
		NoLog:                  true,
		NoSigs:                 true,
		DisableJetStreamBanner: true,
	}
	var err error
	// The port of a server just stopped may take a moment to be free again.
	for deadline := time.Now().Add(10 * time.Second); ; {
		if s.srv, err = s.start(opts); err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("start nats-server on port %d: %v", s.port, err)
	}
	s.port = s.srv.Addr().(*net.TCPAddr).Port
}

func (s *Server) start(opts *natsserver.Options) (*natsserver.Server, error) {
	srv, err := natsserver.NewServer(opts)
	if err != nil {
		return nil, err
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		return nil, fmt.Errorf("not ready for connections within 10s")
	}
	return srv, nil
}
