//go:build !linux

package transport

import "syscall"

// limitUnsent does nothing: streams leave net/http only on Linux (see
// hangups).
func limitUnsent(syscall.RawConn) error { return nil }
