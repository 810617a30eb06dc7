package e2e

import (
	"fmt"
	"net"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/heraldhq/herald/app/events"
)

// The shutdown is bounded by -shutdown-timeout, not by the write timeout nor
// by a request that never ends: what is left at the deadline is cut, and the
// binary exits 0.
func TestSIGTERMExitsZeroWithinTheShutdownTimeoutWhateverIsLeft(t *testing.T) {
	const shutdownTimeout = 2 * time.Second
	tests := []struct {
		name string
		hold func(t *testing.T, in *instance) // what the clients leave behind
	}{
		{"stuck streams", holdStuckStreams},
		{"a slow POST in flight", holdSlowPost},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := startHerald(t, "-demo=false", "-write-timeout=30s", "-shutdown-timeout="+shutdownTimeout.String())
			tt.hold(t, in)
			start := time.Now()
			if err := in.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			err := waitExit(in.cmd, shutdownTimeout+20*time.Second)
			took := time.Since(start)
			if err != nil {
				t.Errorf("herald exited with %v, want status 0", err)
			}
			if took > shutdownTimeout+3*time.Second {
				t.Errorf("herald took %v to exit after SIGTERM, with -shutdown-timeout %v", took.Round(time.Millisecond), shutdownTimeout)
			}
		})
	}
}

// holdStuckStreams opens streams that never read, and publishes more than
// their sockets take, so that their last writes wait for them.
func holdStuckStreams(t *testing.T, in *instance) {
	for range 5 {
		c := dialNeverReading(t, in)
		fmt.Fprintf(c, "GET /events?topic=%s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", events.PublicTopic)
	}
	message := strings.Repeat("x", 50<<10)
	for i := range 20 { // 1 MB
		in.publish(t, fmt.Sprintf(`{"topic":%q,"type":"notification","data":{"user":"u","message":"%s%d","level":"info"}}`, events.PublicTopic, message, i))
	}
}

// holdSlowPost starts a publish whose body never arrives whole.
func holdSlowPost(t *testing.T, in *instance) {
	c := dialNeverReading(t, in)
	fmt.Fprintf(c, "POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"topic\":", in.Token)
	time.Sleep(200 * time.Millisecond) // for the server to be reading the body
}

// dialNeverReading opens a connection to in with a tiny receive buffer, and
// closes it at the end of the test.
func dialNeverReading(t *testing.T, in *instance) net.Conn {
	t.Helper()
	d := net.Dialer{Timeout: 5 * time.Second, Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		})
		if err != nil {
			return err
		}
		return serr
	}}
	c, err := d.Dial("tcp", strings.TrimPrefix(in.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// waitExit waits for cmd to exit, at most timeout, and returns its error.
func waitExit(cmd *exec.Cmd, timeout time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(timeout):
		_ = cmd.Process.Kill()
		return fmt.Errorf("no exit within %v: killed (%w)", timeout, <-done)
	}
}
