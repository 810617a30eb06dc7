//go:build !(js && wasm)

package main

import (
	"net/http"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// staticDir serves the files of a directory under /web/, wherever the
// directory is. It is the app.Handler's ResourceResolver: go-app's own LocalDir
// maps /web/ onto a "web" folder of the directory it is given, and puts that
// directory's path into the URLs.
type staticDir struct {
	http.Handler
}

func newStaticDir(dir string) staticDir {
	return staticDir{http.StripPrefix("/web/", http.FileServer(http.Dir(dir)))}
}

// Resolve returns the URL of a resource: /web/ paths stay as they are.
func (staticDir) Resolve(location string) string { return location }

var _ app.ResourceResolver = staticDir{}
