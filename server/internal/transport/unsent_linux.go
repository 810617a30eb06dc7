//go:build linux

package transport

import (
	"fmt"
	"syscall"
)

// tcpNotSentLowat is TCP_NOTSENT_LOWAT of linux/tcp.h, the same on every
// architecture, which the syscall package does not name on all of them.
const tcpNotSentLowat = 25

// limitUnsent makes the socket of raw take a write only while less than
// MaxUnsent bytes of it wait to be sent. Without it the kernel grows the
// send buffer of a client that does not read to megabytes, each taken at the
// cost of a copy, before a write would block and show the client stuck.
func limitUnsent(raw syscall.RawConn) error {
	var serr error
	err := raw.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, tcpNotSentLowat, MaxUnsent)
	})
	if err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("set TCP_NOTSENT_LOWAT to %d: %w", MaxUnsent, err)
	}
	return nil
}
