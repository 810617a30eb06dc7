//go:build js && wasm

package eventsource

import "syscall/js"

// storagePrefix starts the sessionStorage key of a stream's last event id.
const storagePrefix = "herald.lastEventId "

// loadID returns the last event id stored for the stream at url in this tab,
// or "". A browser that refuses storage stores nothing.
func loadID(url string) (id string) {
	defer func() { _ = recover() }()
	v := js.Global().Get("sessionStorage").Call("getItem", storagePrefix+url)
	if v.Type() == js.TypeString {
		id = v.String()
	}
	return id
}

// storeID stores id as the last event id of the stream at url in this tab:
// sessionStorage lives as long as the tab, reloads included, and each tab has
// its own, so a reloading tab resumes from what it had itself.
func storeID(url, id string) {
	defer func() { _ = recover() }()
	js.Global().Get("sessionStorage").Call("setItem", storagePrefix+url, id)
}
