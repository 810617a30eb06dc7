//go:build js && wasm

package eventsource

import "sync"

// inbox runs functions one at a time, in order, on a goroutine of its own, so
// that JS callbacks return at once and Go listeners see events in order.
type inbox struct {
	mu     sync.Mutex
	queue  []func()
	wake   chan struct{}
	closed bool
	idle   func() // runs after each batch of functions
}

func (b *inbox) init(idle func()) {
	b.wake = make(chan struct{}, 1)
	b.idle = idle
}

func (b *inbox) push(fn func()) {
	b.mu.Lock()
	if !b.closed {
		b.queue = append(b.queue, fn)
	}
	b.mu.Unlock()
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

func (b *inbox) close() {
	b.mu.Lock()
	b.closed = true
	b.queue = nil
	b.mu.Unlock()
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

func (b *inbox) isClosed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

func (b *inbox) run() {
	for range b.wake {
		b.mu.Lock()
		batch, closed := b.queue, b.closed
		b.queue = nil
		b.mu.Unlock()
		if closed {
			return
		}
		for _, fn := range batch {
			if b.isClosed() {
				return
			}
			fn()
		}
		b.idle()
	}
}
