//go:build !unix

package transport

import "errors"

// write1 reports that writing without waiting is not done here: streams
// stay in their handler (see hangups).
func (s *Conn) write1(uintptr) bool {
	s.err = errors.ErrUnsupported
	return true
}
