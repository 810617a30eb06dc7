//go:build js && wasm

package eventsource

import (
	"syscall/js"
	"time"
)

// share is what a Source needs to share one connection with the other tabs
// that open its URL: a Web Lock, whose holder opens the connection, and a
// BroadcastChannel, over which the tabs talk in notes. Its fields are guarded
// by the Source's jsMu.
type share struct {
	channel   js.Value
	onMessage js.Func
	abort     js.Value // the AbortController of the lock request
	release   js.Value // resolves the promise that holds the lock, once held
	held      bool
}

// openShare starts sharing s: it requests the lock and listens to the
// channel. It returns nil when the browser lacks the Web Locks API or
// BroadcastChannel (the Web Locks API needs a secure context: https, or
// localhost).
func openShare(s *Source) *share {
	g := js.Global()
	locks := g.Get("navigator").Get("locks")
	if !locks.Truthy() || !g.Get("BroadcastChannel").Truthy() || !g.Get("AbortController").Truthy() {
		return nil
	}
	name := "herald " + s.url
	sh := &share{channel: g.Get("BroadcastChannel").New(name), abort: g.Get("AbortController").New()}
	sh.onMessage = js.FuncOf(func(_ js.Value, args []js.Value) any {
		if n, ok := decodeNote(args[0].Get("data")); ok {
			s.inbox.push(func() { s.onNote(n) })
		}
		return nil
	})
	sh.channel.Call("addEventListener", "message", sh.onMessage)
	sh.requestLock(s, locks, name)
	return sh
}

// requestLock asks for the lock; s leads once it holds it, and holds it until
// it closes or its page goes.
func (sh *share) requestLock(s *Source, locks js.Value, name string) {
	var granted, settled js.Func
	granted = js.FuncOf(func(js.Value, []js.Value) any {
		p, resolve := newPromise()
		s.jsMu.Lock()
		closed := s.closed
		if !closed {
			sh.release, sh.held = resolve, true
		}
		s.jsMu.Unlock()
		if closed {
			resolve.Invoke()
		} else {
			s.inbox.push(s.lead)
		}
		return p
	})
	// The request settles when the lock is released or the request aborted:
	// then granted can no longer be called.
	settled = js.FuncOf(func(js.Value, []js.Value) any {
		granted.Release()
		settled.Release()
		return nil
	})
	opts := map[string]any{"signal": sh.abort.Get("signal")}
	locks.Call("request", name, opts, granted).Call("then", settled, settled)
}

// newPromise returns a pending promise and the function that resolves it.
func newPromise() (p, resolve js.Value) {
	exec := js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve = args[0]
		return nil
	})
	defer exec.Release()
	return js.Global().Get("Promise").New(exec), resolve
}

// post sends n to the other tabs.
func (sh *share) post(n note) { sh.channel.Call("postMessage", n.js()) }

// close releases the lock, or gives up waiting for it, and leaves the channel.
func (sh *share) close() {
	if sh.held {
		sh.release.Invoke()
	} else {
		sh.abort.Call("abort")
	}
	sh.channel.Call("removeEventListener", "message", sh.onMessage)
	sh.channel.Call("close")
	sh.onMessage.Release()
}

// The kinds of note.
const (
	// noteHello: a tab now holds the connection.
	noteHello = "hello"
	// noteJoin: a tab listens to types, and with sync asks for the events
	// after its last event id.
	noteJoin = "join"
	// noteEvent: an event, relayed by the tab that holds the connection.
	noteEvent = "event"
	// noteState: the state of the connection changed.
	noteState = "state"
	// noteReplay: the answer to a join with sync, for one tab.
	noteReplay = "replay"
	// noteReconnect: a tab asks the one holding the connection to reconnect.
	noteReconnect = "reconnect"
)

// note is a message between the tabs that share a connection.
type note struct {
	kind    string
	tab     string    // join: the tab that asks; replay: the tab answered
	types   []string  // join
	sync    bool      // join
	after   string    // join, replay: the last event id of the tab that asks
	found   bool      // replay: whether events holds all that followed after
	last    string    // replay: the last event id of the tab that answers
	event   relayed   // event
	events  []relayed // replay
	state   ReadyState
	retryAt time.Time // state, replay
}

// js returns n as a structured-clonable JS object.
func (n note) js() map[string]any {
	types := make([]any, len(n.types))
	for i, t := range n.types {
		types[i] = t
	}
	events := make([]any, len(n.events))
	for i, m := range n.events {
		events[i] = relayedJS(m)
	}
	var retryAt float64
	if !n.retryAt.IsZero() {
		retryAt = float64(n.retryAt.UnixMilli())
	}
	return map[string]any{
		"kind": n.kind, "tab": n.tab, "types": types, "sync": n.sync,
		"after": n.after, "found": n.found, "last": n.last,
		"event": relayedJS(n.event), "events": events,
		"state": int(n.state), "retryAt": retryAt,
	}
}

func relayedJS(m relayed) map[string]any {
	return map[string]any{"type": m.typ, "data": m.data, "id": m.id, "prev": m.prev}
}

// decodeNote reads a note posted by another tab; ok is false for anything
// else.
func decodeNote(v js.Value) (n note, ok bool) {
	if v.Type() != js.TypeObject || v.Get("kind").Type() != js.TypeString {
		return n, false
	}
	n = note{
		kind: v.Get("kind").String(), tab: str(v.Get("tab")),
		sync: v.Get("sync").Truthy(), after: str(v.Get("after")),
		found: v.Get("found").Truthy(), last: str(v.Get("last")),
		event: decodeRelayed(v.Get("event")), state: ReadyState(num(v.Get("state"))),
	}
	if ms := num(v.Get("retryAt")); ms > 0 {
		n.retryAt = time.UnixMilli(int64(ms))
	}
	for _, t := range list(v.Get("types")) {
		n.types = append(n.types, str(t))
	}
	for _, m := range list(v.Get("events")) {
		n.events = append(n.events, decodeRelayed(m))
	}
	return n, true
}

func decodeRelayed(v js.Value) relayed {
	if v.Type() != js.TypeObject {
		return relayed{}
	}
	return relayed{
		message: message{typ: str(v.Get("type")), data: str(v.Get("data")), id: str(v.Get("id"))},
		prev:    str(v.Get("prev")),
	}
}

// str returns v if it is a string, else "".
func str(v js.Value) string {
	if v.Type() != js.TypeString {
		return ""
	}
	return v.String()
}

// num returns v if it is a number, else 0.
func num(v js.Value) float64 {
	if v.Type() != js.TypeNumber {
		return 0
	}
	return v.Float()
}

// list returns the elements of v if it is an array.
func list(v js.Value) []js.Value {
	if !js.Global().Get("Array").Call("isArray", v).Bool() {
		return nil
	}
	out := make([]js.Value, v.Length())
	for i := range out {
		out[i] = v.Index(i)
	}
	return out
}
