//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// run starts the front end in the browser. The User Timing mark
// "herald:go-main" says when the Go program started: after app.wasm was
// fetched and compiled and the runtime and the packages initialised.
func run() {
	if p := js.Global().Get("performance"); p.Truthy() {
		p.Call("mark", "herald:go-main")
	}
	keepWasm()
	app.RunWhenOnBrowser()
}

// keepWasm asks the service worker, once it is active, to cache app.wasm
// (app-worker.js): now that the page has compiled it, the browser's HTTP
// cache holds it, and the worker need not download it again.
func keepWasm() {
	sw := js.Global().Get("navigator").Get("serviceWorker")
	if !sw.Truthy() {
		return
	}
	var ready js.Func
	ready = js.FuncOf(func(_ js.Value, args []js.Value) any {
		defer ready.Release()
		if active := args[0].Get("active"); active.Truthy() {
			active.Call("postMessage", map[string]any{"type": "herald:keep-wasm"})
		}
		return nil
	})
	sw.Get("ready").Call("then", ready)
}
