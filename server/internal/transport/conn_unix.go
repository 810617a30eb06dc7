//go:build unix

package transport

import "syscall"

// write1 makes one write system call of s.p to fd, as raw.Write calls it.
func (s *Conn) write1(fd uintptr) bool {
	for {
		s.n, s.err = syscall.Write(int(fd), s.p)
		if s.err != syscall.EINTR {
			return true
		}
	}
}
