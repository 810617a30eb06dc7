package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// token is the publish token every server is started with.
const token = "bench-token"

// peer is a server under test: how to build it and start it.
type peer struct {
	name   string
	title  string // the table's column
	short  string // the column, when every server gets the same batch
	pkg    string // the package to build, relative to the bench module
	module string // the module directory to build it in, relative to bench
	args   func(addr string) []string
	batch  int // events a publish request
}

// peers are the servers the benchmark knows, in the table's order.
var peers = []peer{
	{name: "centrifuge", title: "Centrifuge v0.40.1 (SSE transport)", short: "Centrifuge v0.40.1 (SSE transport)", pkg: "./peers/centrifuge", module: ".", args: peerArgs, batch: 1},
	{name: "r3labs", title: "r3labs/sse v2.10.0", short: "r3labs/sse v2.10.0", pkg: "./peers/r3labs", module: ".", args: peerArgs, batch: 1},
	{name: "gosse", title: "go-sse v0.11.0", short: "go-sse v0.11.0", pkg: "./peers/gosse", module: ".", args: peerArgs, batch: 1},
	{name: "herald", title: "Herald, one HTTP publish per event", short: "Herald", pkg: "./app", module: "..", args: heraldArgs, batch: 1},
	{name: "herald-b100", title: "Herald, arrays of 100 events", short: "Herald", pkg: "./app", module: "..", args: heraldArgs, batch: 100},
}

func peerArgs(addr string) []string { return []string{"-addr", addr, "-token", token} }

// heraldArgs start the herald binary with the limits raised for the load:
// the streams come from one address, and the token publishes without a rate.
func heraldArgs(addr string) []string {
	return []string{"-addr", addr, "-demo=false", "-publish-token", token,
		"-max-conns", "200000", "-max-conns-per-client", "200000",
		"-token-publish-rate", "1e9", "-token-publish-burst", "1000000000"}
}

// batchFor returns the events a publish request to p carries under o.
func (p peer) batchFor(o options) int {
	if o.batch > 0 {
		return o.batch
	}
	return p.batch
}

// titleFor returns p's column title under o: with one batch for every
// server, the name of the server alone.
func (p peer) titleFor(o options) string {
	if o.batch > 0 {
		return p.short
	}
	return p.title
}

// pickPeers returns the peers named in list, comma-separated, or all.
func pickPeers(list string) ([]peer, error) {
	if list == "all" {
		return peers, nil
	}
	var picked []peer
	for name := range strings.SplitSeq(list, ",") {
		found := false
		for _, p := range peers {
			if p.name == strings.TrimSpace(name) {
				picked, found = append(picked, p), true
			}
		}
		if !found {
			return nil, fmt.Errorf("-peers: no peer %q (want centrifuge, r3labs, gosse, herald, herald-b100 or all)", name)
		}
	}
	return picked, nil
}

// build builds each peer's binary into dir, once per package.
func build(ctx context.Context, ps []peer, dir string) error {
	built := map[string]bool{}
	for _, p := range ps {
		bin := binary(dir, p)
		if built[bin] {
			continue
		}
		cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, p.pkg)
		cmd.Dir, cmd.Stdout, cmd.Stderr = p.module, os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("build %s in %s: %w", p.pkg, p.module, err)
		}
		built[bin] = true
	}
	return nil
}

// binary is where build puts p's program.
func binary(dir string, p peer) string { return filepath.Join(dir, filepath.Base(p.pkg)) }

// server is a running peer.
type server struct {
	cmd  *exec.Cmd
	addr string
}

// start starts p's program on a free loopback port, its output in log, and
// waits until it accepts connections.
func start(dir string, p peer, log *os.File) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(binary(dir, p), p.args(addr)...)
	cmd.Dir = dir // where a server keeps files of its own, such as Herald's session keys
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", p.name, err)
	}
	s := &server{cmd: cmd, addr: addr}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return s, nil
		}
	}
	s.stop()
	return nil, fmt.Errorf("%s did not listen on %s within 20s (see its log, %s)", p.name, addr, log.Name())
}

// stop ends the server: SIGTERM, then SIGKILL after 5 s.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// freeAddr returns a loopback address with a port free now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// raiseFileLimit raises the soft limit of open files to the hard one, for
// this process and the servers it starts.
func raiseFileLimit() error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("read the open files limit: %w", err)
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return errors.Join(errors.New("raise the open files limit"), err)
	}
	return nil
}
