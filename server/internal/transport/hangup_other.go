//go:build !linux

package transport

import (
	"errors"
	"net"
)

// hangups would tell streams that their client hung up. Elsewhere than on
// Linux there is no way to learn it without a goroutine reading each
// connection, so streams keep the ordinary handler, which has one.
type hangups struct{}

// hangupWatcher reports that hang-ups cannot be watched here.
func hangupWatcher() (*hangups, error) { return nil, errors.ErrUnsupported }

func (*hangups) watch(net.Conn, func()) (func(), error) { return nil, errors.ErrUnsupported }
