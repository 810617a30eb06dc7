//go:build js && wasm

package main

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// run starts the page in the browser.
func run() { app.RunWhenOnBrowser() }
