//go:build linux

package transport

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"syscall"
	"time"
)

// hangups tells streams that their client hung up, with no goroutine and no
// buffer per connection: the connections' descriptors sit in an epoll set
// of their own that asks only for hang-ups, and one goroutine waits on that
// set through the runtime's network poller.
type hangups struct {
	set *os.File // the epoll set, non-blocking, in the runtime's poller

	mu      sync.Mutex
	next    int32
	watched map[int32]func()
}

var theHangups struct {
	once sync.Once
	h    *hangups
	err  error
}

// hangupWatcher returns the process's hang-up watcher, started on first use.
func hangupWatcher() (*hangups, error) {
	theHangups.once.Do(func() { theHangups.h, theHangups.err = newHangups() })
	return theHangups.h, theHangups.err
}

func newHangups() (*hangups, error) {
	fd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("create the hang-up epoll set: %w", err)
	}
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("make the hang-up epoll set non-blocking: %w", err)
	}
	set := os.NewFile(uintptr(fd), "hangups")
	// Only a file in the runtime's poller takes deadlines: the check that
	// waiting on the set parks a goroutine and not a thread.
	if err := set.SetReadDeadline(time.Time{}); err != nil {
		set.Close()
		return nil, fmt.Errorf("poll the hang-up epoll set: %w", err)
	}
	h := &hangups{set: set, watched: map[int32]func(){}}
	go h.loop()
	return h, nil
}

// watch calls gone, once, when the client at the other end of conn hangs up
// or the connection fails, until stop is called. Call stop before closing
// conn.
func (h *hangups) watch(conn net.Conn, gone func()) (stop func(), err error) {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return nil, errors.ErrUnsupported
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil, fmt.Errorf("watch %s for a hang-up: %w", conn.RemoteAddr(), err)
	}
	key := h.add(gone)
	var ctlErr error
	err = rc.Control(func(fd uintptr) {
		ev := syscall.EpollEvent{Events: syscall.EPOLLRDHUP | syscall.EPOLLONESHOT, Fd: key}
		ctlErr = syscall.EpollCtl(int(h.set.Fd()), syscall.EPOLL_CTL_ADD, int(fd), &ev)
	})
	if err = errors.Join(err, ctlErr); err != nil {
		h.remove(key)
		return nil, fmt.Errorf("watch %s for a hang-up: %w", conn.RemoteAddr(), err)
	}
	return func() {
		h.remove(key)
		_ = rc.Control(func(fd uintptr) {
			_ = syscall.EpollCtl(int(h.set.Fd()), syscall.EPOLL_CTL_DEL, int(fd), nil)
		})
	}, nil
}

// add registers gone under a key no other watched connection has.
func (h *hangups) add(gone func()) int32 {
	h.mu.Lock()
	defer h.mu.Unlock()
	for {
		h.next++
		if _, taken := h.watched[h.next]; !taken {
			h.watched[h.next] = gone
			return h.next
		}
	}
}

// remove forgets key and returns what it was registered with.
func (h *hangups) remove(key int32) func() {
	h.mu.Lock()
	defer h.mu.Unlock()
	gone := h.watched[key]
	delete(h.watched, key)
	return gone
}

// loop waits for hang-ups and reports them, for the life of the process.
func (h *hangups) loop() {
	rc, err := h.set.SyscallConn()
	if err != nil {
		return
	}
	events := make([]syscall.EpollEvent, 128)
	for {
		var n int
		var waitErr error
		err := rc.Read(func(fd uintptr) bool {
			n, waitErr = syscall.EpollWait(int(fd), events, 0)
			if waitErr == syscall.EINTR {
				n, waitErr = 0, nil
			}
			return n > 0 || waitErr != nil
		})
		if err != nil || waitErr != nil {
			return
		}
		for _, ev := range events[:n] {
			if gone := h.remove(ev.Fd); gone != nil {
				gone()
			}
		}
	}
}
