//go:build js && wasm

package eventsource

import (
	"errors"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// ErrConnection reports that the browser lost or could not open the
// connection. The browser retries unless the Source's ReadyState is StateClosed.
var ErrConnection = errors.New("eventsource: connection error")

type platformOptions struct{}

// Source is a connection to an event stream, over the browser's EventSource.
type Source struct {
	hub
	es      app.Value
	jsOpen  app.Func
	jsError app.Func

	jsMu  sync.Mutex
	funcs map[string]app.Func // one JS listener per watched event type
	inbox inbox
}

// Open connects to the event stream at url, relative to the page.
func Open(url string, opts ...Option) (*Source, error) {
	s := &Source{funcs: map[string]app.Func{}}
	s.hub.init(url, opts)
	s.inbox.init()
	ctor := app.Window().Get("EventSource")
	if !ctor.Truthy() {
		return nil, errors.New("eventsource: this browser has no EventSource")
	}
	s.es = ctor.New(url, map[string]any{"withCredentials": s.opts.withCredentials})
	s.jsOpen = app.FuncOf(func(app.Value, []app.Value) any {
		s.inbox.push(func() { s.opened() })
		return nil
	})
	s.jsError = app.FuncOf(func(app.Value, []app.Value) any {
		state := ReadyState(s.es.Get("readyState").Int())
		s.inbox.push(func() {
			s.setState(state)
			s.reportError(ErrConnection)
		})
		return nil
	})
	s.es.Call("addEventListener", "open", s.jsOpen)
	s.es.Call("addEventListener", "error", s.jsError)
	go s.inbox.run()
	return s, nil
}

// watch adds a JS listener for events of type typ. The listener only copies
// the event out; Go listeners run on the inbox goroutine.
func (s *Source) watch(typ string) {
	fn := app.FuncOf(func(_ app.Value, args []app.Value) any {
		ev := args[0]
		m := message{typ: typ, data: ev.Get("data").String(), id: ev.Get("lastEventId").String()}
		s.inbox.push(func() { s.deliver(m) })
		return nil
	})
	s.jsMu.Lock()
	defer s.jsMu.Unlock()
	if s.es == nil || s.ReadyState() == StateClosed {
		fn.Release()
		return
	}
	s.funcs[typ] = fn
	s.es.Call("addEventListener", typ, fn)
}

// unwatch removes and releases the JS listener of typ.
func (s *Source) unwatch(typ string) {
	s.jsMu.Lock()
	defer s.jsMu.Unlock()
	fn, ok := s.funcs[typ]
	if !ok {
		return
	}
	delete(s.funcs, typ)
	s.es.Call("removeEventListener", typ, fn)
	fn.Release()
}

// Close closes the connection and releases every JS function. Listeners are
// not called after Close returns.
func (s *Source) Close() {
	s.jsMu.Lock()
	defer s.jsMu.Unlock()
	if s.ReadyState() == StateClosed && s.funcs == nil {
		return
	}
	s.setState(StateClosed)
	s.es.Call("close")
	for typ, fn := range s.funcs {
		s.es.Call("removeEventListener", typ, fn)
		fn.Release()
	}
	s.funcs = nil
	s.es.Call("removeEventListener", "open", s.jsOpen)
	s.es.Call("removeEventListener", "error", s.jsError)
	s.jsOpen.Release()
	s.jsError.Release()
	s.inbox.close()
}

// inbox runs functions one at a time, in order, on a goroutine of its own, so
// that JS callbacks return at once and Go listeners see events in order.
type inbox struct {
	mu     sync.Mutex
	queue  []func()
	wake   chan struct{}
	closed bool
}

func (b *inbox) init() { b.wake = make(chan struct{}, 1) }

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
	}
}
