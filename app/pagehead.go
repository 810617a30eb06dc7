//go:build !(js && wasm)

// What the page's head carries besides go-app's own: the early stream's
// script, app.wasm's preload and the #herald-state element.

package main

import (
	"encoding/json"
	"net/url"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/shared"
)

// earlyStreamScript is the script that opens the page's event stream while
// app.wasm loads (web/stream.js), loaded with defer after go-app's own.
const earlyStreamScript = "/web/stream.js defer"

// wasmPreload starts the download of app.wasm as the page's head is parsed,
// before go-app's scripts are loaded and run: app.js's fetch of the same URL
// (same mode, same credentials) takes the preloaded answer over.
const wasmPreload = `<link rel="preload" href="/web/app.wasm" as="fetch" type="application/wasm" crossorigin="anonymous">`

// stateElement returns the page's #herald-state element for a visitor who is
// not signed in: the public topics' stream from now, with no state yet. It
// stands in until the page carries the state it prerenders at an event id.
func stateElement() string {
	q := url.Values{"topic": events.PublicTopics()}
	types := []string{shared.GapEvent.Name()}
	for _, t := range events.Schema.Types() {
		types = append(types, t.Name())
	}
	b, err := json.Marshal(map[string]any{"url": "/events?" + q.Encode(), "id": "", "types": types, "state": map[string]any{}})
	if err != nil {
		return "" // strings and slices of strings always encode
	}
	return `<script type="application/json" id="herald-state">` + string(b) + `</script>`
}
