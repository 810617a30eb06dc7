// Command herald is Herald's demo program, one main compiled twice. Built with
// GOOS=js GOARCH=wasm it is the front end that runs in the browser; built
// natively it is the server: it serves the front end as a PWA and mounts the
// event stream and publish API on the same mux.
package main

import "github.com/heraldhq/herald/app/ui"

func main() {
	ui.Routes()
	run()
}
