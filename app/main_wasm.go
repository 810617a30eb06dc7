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
	app.RunWhenOnBrowser()
}
