//go:build !linux

package load

import "syscall"

// bindControl does nothing where IP_BIND_ADDRESS_NO_PORT does not exist.
func bindControl(_, _ string, _ syscall.RawConn) error { return nil }
