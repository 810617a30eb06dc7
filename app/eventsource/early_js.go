//go:build js && wasm

package eventsource

import (
	"syscall/js"
)

// early is the stream the page opened before the app started: web/stream.js
// opens it from the page's #herald-state element and exposes it as
// window.heraldEarly = {url, id, types, source, events, take()}.
type early struct {
	v js.Value
}

// findEarly returns the page's early stream if it is on url, the Source's
// URL. ok is false when the page has none, or one on another URL.
func findEarly(url string) (e early, ok bool) {
	v := js.Global().Get("heraldEarly")
	if v.Type() != js.TypeObject || v.Get("url").Type() != js.TypeString || v.Get("take").Type() != js.TypeFunction {
		return early{}, false
	}
	base, err := pageURL()
	if err != nil || !sameStream(v.Get("url").String(), url, base) {
		return early{}, false
	}
	return early{v: v}, true
}

// resumesFrom reports whether the early stream resumed after lastID.
func (e early) resumesFrom(lastID string) bool {
	id := e.v.Get("id")
	return id.Type() == js.TypeString && id.String() == lastID
}

// records reports whether the early stream records every event type of
// types, so that none of their events is lost before the Source listens.
func (e early) records(types map[string]bool) bool {
	recorded := map[string]bool{}
	if v := e.v.Get("types"); v.Type() == js.TypeObject {
		for i := range v.Length() {
			recorded[v.Index(i).String()] = true
		}
	}
	for typ := range types {
		if !recorded[typ] {
			return false
		}
	}
	return true
}

// take stops the early stream's recording and returns its EventSource and the
// events it recorded, in order. ok is false if it was taken before. The
// caller adds its own listeners to the EventSource before it yields to the
// browser, so that no event falls between the recording and them.
func (e early) take() (es js.Value, recorded []message, ok bool) {
	events := e.v.Call("take")
	if events.Type() != js.TypeObject {
		return js.Undefined(), nil, false
	}
	n := events.Length()
	recorded = make([]message, 0, n)
	for i := range n {
		ev := events.Index(i)
		recorded = append(recorded, message{typ: ev.Get("type").String(), id: ev.Get("id").String(), data: ev.Get("data").String()})
	}
	return e.v.Get("source"), recorded, true
}

// drop takes the early stream and closes it, for a Source that will not
// adopt it.
func (e early) drop() {
	if es, _, ok := e.take(); ok {
		es.Call("close")
	}
}
