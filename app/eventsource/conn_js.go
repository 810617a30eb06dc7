//go:build js && wasm

package eventsource

import (
	"math/rand/v2"
	"syscall/js"
	"time"
)

// conn is the browser EventSource of the tab that holds the connection.
// When the connection breaks, the browser reconnects on its own after the
// server's retry delay, sending the Last-Event-ID it holds, which counts the
// stream's position as well as events. When the browser gives up for good
// (an HTTP error, or a response that is not an event stream), conn opens a
// new EventSource after a backoff, with the last event id delivered in the
// URL's lastEventId parameter (a new EventSource cannot send the
// Last-Event-ID header). Its fields are guarded by the Source's jsMu.
type conn struct {
	s         *Source
	es        js.Value // the current EventSource, or undefined between two
	listeners map[string]js.Func
	onOpen    js.Func
	onError   js.Func
	onOnline  js.Func
	opened    bool // the current EventSource has opened
	failures  int  // attempts in a row that did not open
	timer     *time.Timer
}

func newConn(s *Source) *conn {
	c := &conn{s: s, es: js.Undefined(), listeners: map[string]js.Func{}}
	c.onOpen = js.FuncOf(func(_ js.Value, args []js.Value) any {
		es := args[0].Get("target")
		s.inbox.push(func() { s.connOpened(c, es) })
		return nil
	})
	c.onError = js.FuncOf(func(_ js.Value, args []js.Value) any {
		es := args[0].Get("target")
		s.inbox.push(func() { s.connFailed(c, es) })
		return nil
	})
	c.onOnline = js.FuncOf(func(js.Value, []js.Value) any {
		s.jsMu.Lock()
		defer s.jsMu.Unlock()
		if c.timer != nil && c.timer.Stop() {
			s.inbox.push(func() { s.reconnect(c) })
		}
		return nil
	})
	js.Global().Call("addEventListener", "online", c.onOnline)
	return c
}

// open opens an EventSource that resumes after lastID.
func (c *conn) open(lastID string) {
	u := js.Global().Get("URL").New(c.s.url)
	if lastID != "" {
		u.Get("searchParams").Call("set", "lastEventId", lastID)
	}
	c.attach(js.Global().Get("EventSource").New(u.Call("toString"), map[string]any{"withCredentials": c.s.opts.withCredentials}))
}

// attach makes es the current EventSource and adds the listeners to it.
func (c *conn) attach(es js.Value) {
	c.es = es
	c.es.Call("addEventListener", "open", c.onOpen)
	c.es.Call("addEventListener", "error", c.onError)
	for typ, fn := range c.listeners {
		c.es.Call("addEventListener", typ, fn)
	}
}

// current reports whether es is the EventSource open now.
func (c *conn) current(es js.Value) bool { return c.es.Truthy() && c.es.Equal(es) }

// fail handles an error of the EventSource and returns when the next attempt
// to connect will be: after the retry delay if the browser reconnects on its
// own, else after a backoff, when a new EventSource opens.
func (c *conn) fail() time.Time {
	if c.es.Get("readyState").Int() == int(StateConnecting) {
		c.opened = false
		return time.Now().Add(c.s.opts.retry)
	}
	c.detach()
	if c.opened {
		c.failures = 0
	} else {
		c.failures++
	}
	c.opened = false
	d := backoff(c.s.opts.retry, c.failures, rand.Float64())
	c.timer = time.AfterFunc(d, func() { c.s.inbox.push(func() { c.s.reconnect(c) }) })
	return time.Now().Add(d)
}

// watch listens to events of type typ. The listener only copies the event
// out; the Source handles it on its inbox goroutine.
func (c *conn) watch(typ string) {
	if _, ok := c.listeners[typ]; ok {
		return
	}
	s := c.s
	fn := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ev := args[0]
		m := message{typ: typ, data: ev.Get("data").String(), id: ev.Get("lastEventId").String()}
		s.inbox.push(func() { s.received(m) })
		return nil
	})
	c.listeners[typ] = fn
	if c.es.Truthy() {
		c.es.Call("addEventListener", typ, fn)
	}
}

// unwatch stops listening to events of type typ.
func (c *conn) unwatch(typ string) {
	fn, ok := c.listeners[typ]
	if !ok {
		return
	}
	delete(c.listeners, typ)
	if c.es.Truthy() {
		c.es.Call("removeEventListener", typ, fn)
	}
	fn.Release()
}

// detach closes the current EventSource and takes the listeners off it.
func (c *conn) detach() {
	if !c.es.Truthy() {
		return
	}
	c.es.Call("close")
	c.es.Call("removeEventListener", "open", c.onOpen)
	c.es.Call("removeEventListener", "error", c.onError)
	for typ, fn := range c.listeners {
		c.es.Call("removeEventListener", typ, fn)
	}
	c.es = js.Undefined()
}

// close closes the connection for good and releases its JS functions.
func (c *conn) close() {
	if c.timer != nil {
		c.timer.Stop()
	}
	c.detach()
	js.Global().Call("removeEventListener", "online", c.onOnline)
	for typ, fn := range c.listeners {
		fn.Release()
		delete(c.listeners, typ)
	}
	c.onOpen.Release()
	c.onError.Release()
	c.onOnline.Release()
}
