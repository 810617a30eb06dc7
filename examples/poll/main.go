// Command poll is a live poll built on Herald, the example to copy for an app
// of your own. Like Herald's demo it is one main compiled twice: with
// GOOS=js GOARCH=wasm it is the page that runs in the browser (main_wasm.go);
// natively it is the server (main_native.go), which serves that page, takes
// the votes and streams the tallies.
//
// Run it from this directory, after building web/app.wasm (make examples):
//
//	go run . -addr 127.0.0.1:8080
package main

import "github.com/maxence-charriere/go-app/v10/pkg/app"

func main() {
	// Both builds register the same routes: the server answers 404 for
	// the others.
	app.Route("/", func() app.Composer { return &Poll{} })
	run()
}
