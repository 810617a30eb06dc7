// Package ui holds Herald's demo front end: go-app components compiled into
// the WebAssembly program and, for routing and prerendering, into the server.
package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Routes registers the app's pages. The browser and the server must register
// the same routes, or the server answers 404 for them.
func Routes() {
	app.Route("/", func() app.Composer { return &Home{} })
}
