//go:build !(js && wasm)

package main

import (
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// staticDir serves the files of a directory under /web/, wherever the
// directory is. It is the app.Handler's ResourceResolver: go-app's own LocalDir
// maps /web/ onto a "web" folder of the directory it is given, and puts that
// directory's path into the URLs.
//
// A file with a brotli (.br) or gzip (.gz) twin beside it, no older than
// itself, is sent in the encoding the request accepts, brotli first.
type staticDir struct {
	dir   string
	files http.Handler
}

func newStaticDir(dir string) staticDir {
	return staticDir{dir: dir, files: http.StripPrefix("/web/", http.FileServer(http.Dir(dir)))}
}

// Resolve returns the URL of a resource: /web/ paths stay as they are.
func (staticDir) Resolve(location string) string { return location }

var _ app.ResourceResolver = staticDir{}

// encodings are the precompressed twins a file may have, in order of
// preference.
var encodings = []struct{ coding, suffix string }{
	{"br", ".br"},
	{"gzip", ".gz"},
}

// ServeHTTP serves the file the request names, precompressed when it can.
func (d staticDir) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutPrefix(path.Clean(r.URL.Path), "/web/")
	if !ok || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		d.files.ServeHTTP(w, r)
		return
	}
	orig, err := os.Stat(filepath.Join(d.dir, filepath.FromSlash(name)))
	if err != nil || !orig.Mode().IsRegular() {
		d.files.ServeHTTP(w, r)
		return
	}
	twins := false
	for _, e := range encodings {
		twin := filepath.Join(d.dir, filepath.FromSlash(name)+e.suffix)
		fi, err := os.Stat(twin)
		if err != nil || fi.ModTime().Before(orig.ModTime()) {
			continue
		}
		twins = true
		if accepts(r.Header.Get("Accept-Encoding"), e.coding) && d.serveTwin(w, r, name, twin, e.coding) {
			return
		}
	}
	if twins {
		w.Header().Add("Vary", "Accept-Encoding")
	}
	d.files.ServeHTTP(w, r)
}

// serveTwin sends the file twin as the content of name in the given coding.
// It reports false when twin cannot be opened.
func (d staticDir) serveTwin(w http.ResponseWriter, r *http.Request, name, twin, coding string) bool {
	f, err := os.Open(twin)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	h := w.Header()
	h.Add("Vary", "Accept-Encoding")
	h.Set("Content-Encoding", coding)
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		h.Set("Content-Type", ct)
	} else {
		h.Set("Content-Type", "application/octet-stream")
	}
	http.ServeContent(w, r, name, fi.ModTime(), f)
	return true
}

// accepts reports whether an Accept-Encoding header value accepts coding: it
// is named, or matched by "*", with a quality above zero.
func accepts(header, coding string) bool {
	star := false
	for part := range strings.SplitSeq(header, ",") {
		token, params, _ := strings.Cut(part, ";")
		token = strings.ToLower(strings.TrimSpace(token))
		if token != coding && token != "*" {
			continue
		}
		ok := quality(params) > 0
		if token == coding {
			return ok
		}
		star = ok
	}
	return star
}

// quality returns the q parameter of an Accept-Encoding element's
// parameters, 1 when there is none, 0 when it is malformed.
func quality(params string) float64 {
	for p := range strings.SplitSeq(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return 0
			}
			return q
		}
	}
	return 1
}
