//go:build !(js && wasm)

// What the page's head carries besides go-app's own: the early stream's
// script and app.wasm's preload.

package main

// earlyStreamScript is the script that opens the page's event stream while
// app.wasm loads (web/stream.js), loaded with defer after go-app's own. It
// reads the page's #herald-state element; without one it does nothing.
const earlyStreamScript = "/web/stream.js defer"

// wasmPreload starts the download of app.wasm as the page's head is parsed,
// before go-app's scripts are loaded and run: app.js's fetch of the same URL
// (same mode, same credentials) takes the preloaded answer over.
const wasmPreload = `<link rel="preload" href="/web/app.wasm" as="fetch" type="application/wasm" crossorigin="anonymous">`
