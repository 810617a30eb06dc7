//go:build !(js && wasm)

package eventsource

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// seesEveryType is true natively: the Source reads the whole stream, so its
// OnAny listeners get every event.
const seesEveryType = true

// platform is what a native Source keeps besides its listeners and state.
type platform struct {
	client *http.Client
	ctx    context.Context // ends when the Source closes
	cancel context.CancelFunc
	halted atomic.Bool   // no listener may be called any more
	retry  time.Duration // the reconnection time, which the server may set
	wake   chan struct{} // Reconnect's request to connect again at once
	// resumeID is the latest last event id that can be sent back in a
	// Last-Event-ID header; it is used on the run goroutine only.
	resumeID string

	connMu     sync.Mutex
	connCancel context.CancelFunc // ends the current connection, if any
}

// pageURL returns nil: outside the browser there is no page that a relative
// URL could be resolved against.
func pageURL() (*url.URL, error) { return nil, nil }

// setUp prepares the Source's HTTP client and context.
func (s *Source) setUp() error {
	s.retry = s.opts.retry
	s.wake = make(chan struct{}, 1)
	s.keepResumeID(s.lastEventID)
	s.client = s.httpClient()
	s.ctx, s.cancel = context.WithCancel(s.opts.ctx)
	context.AfterFunc(s.ctx, s.halt)
	return nil
}

// start runs the Source on a goroutine of its own.
func (s *Source) start() { go s.run() }

// stop makes the Source closed for good and ends its connection.
func (s *Source) stop() {
	s.halt()
	s.cancel()
}

// halt makes the Source closed for good and its listeners uncalled. The
// context's AfterFunc runs it concurrently with run when the context ends, so
// run also calls it before it closes done.
func (s *Source) halt() {
	s.halted.Store(true)
	s.setState(StateClosed)
}

// stopped reports whether listeners may no longer be called.
func (s *Source) stopped() bool { return s.halted.Load() }

// watch does nothing: a native Source reads every event of the stream.
func (s *Source) watch(string) {}

// unwatch does nothing, as watch.
func (s *Source) unwatch(string) {}

// run connects, reads and reconnects until the Source stops, then closes
// done once the Source is closed for good.
func (s *Source) run() {
	defer func() {
		s.stop()
		close(s.done)
	}()
	failures := 0
	for {
		opened, err := s.connect()
		if s.ctx.Err() != nil {
			return
		}
		if !errors.Is(err, ErrConnection) {
			s.fail(err)
			return
		}
		if s.asked() {
			s.setState(StateConnecting)
			continue
		}
		if opened {
			failures = 0
		} else {
			failures++
		}
		d := backoff(s.retry, failures, rand.Float64())
		s.setState(StateConnecting)
		s.setRetryAt(time.Now().Add(d))
		s.reportError(err)
		slept := s.sleep(d)
		s.setRetryAt(time.Time{})
		if !slept {
			return
		}
	}
}

// fail closes the Source for err and tells the OnError listeners.
func (s *Source) fail(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
	s.setState(StateClosed)
	s.reportError(err)
	s.halt()
}

// sleep waits for d, or until Reconnect is called, and reports false if the
// Source stopped first.
func (s *Source) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.wake:
		return true
	case <-s.ctx.Done():
		return false
	}
}

// reconnectNow asks the run goroutine to connect again at once, ending the
// current connection if there is one.
func (s *Source) reconnectNow() {
	select {
	case s.wake <- struct{}{}:
	default: // already asked
	}
	s.connMu.Lock()
	cancel := s.connCancel
	s.connMu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// asked reports whether Reconnect asked for a new connection, and takes the
// request.
func (s *Source) asked() bool {
	select {
	case <-s.wake:
		return true
	default:
		return false
	}
}

// setConnCancel records the function that ends the current connection, and
// calls it at once if Reconnect asked for a new one while there was none.
func (s *Source) setConnCancel(cancel context.CancelFunc) {
	s.connMu.Lock()
	s.connCancel = cancel
	pending := cancel != nil && len(s.wake) > 0
	s.connMu.Unlock()
	if pending {
		cancel()
	}
}
