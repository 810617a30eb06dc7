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
	"time"

	"github.com/heraldhq/herald/app/page"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// staticDir serves the files of a directory under /web/, wherever the
// directory is. It is the app.Handler's ResourceResolver: go-app's own LocalDir
// maps /web/ onto a "web" folder of the directory it is given, and puts that
// directory's path into the URLs.
//
// A file with a brotli (.br) or gzip (.gz) twin beside it, no older than
// itself, is sent in the encoding the request accepts, brotli first. Only
// regular files are served, to GET and HEAD: a directory is not listed. A
// request for several ranges gets the whole file, not a multipart answer
// that would be larger than the file.
type staticDir struct {
	dir string
}

func newStaticDir(dir string) staticDir {
	return staticDir{dir: dir}
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
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		page.RefuseMethod(w)
		return
	}
	name, ok := strings.CutPrefix(path.Clean(r.URL.Path), "/web/")
	file := filepath.Join(d.dir, filepath.FromSlash(name))
	orig, err := os.Stat(file)
	if !ok || err != nil || !orig.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	r = singleRange(r)
	served, twins := serveTwin(w, r, name, file, orig.ModTime())
	if served {
		return
	}
	if twins {
		w.Header().Add("Vary", "Accept-Encoding")
	}
	if !serveFile(w, r, name, file, "") {
		http.NotFound(w, r)
	}
}

// serveTwin sends the first precompressed twin of file, no older than
// modTime, that the request accepts. It reports whether it sent one, and
// whether file has twins at all.
func serveTwin(w http.ResponseWriter, r *http.Request, name, file string, modTime time.Time) (served, twins bool) {
	for _, e := range encodings {
		twin := file + e.suffix
		fi, err := os.Stat(twin)
		if err != nil || fi.ModTime().Before(modTime) {
			continue
		}
		twins = true
		if accepts(r.Header.Get("Accept-Encoding"), e.coding) && serveFile(w, r, name, twin, e.coding) {
			return true, true
		}
	}
	return false, twins
}

// singleRange returns r without its Range header when it asks for more than
// one range, so that it gets the whole file.
func singleRange(r *http.Request) *http.Request {
	if !strings.Contains(r.Header.Get("Range"), ",") {
		return r
	}
	r2 := *r
	r2.Header = r.Header.Clone()
	r2.Header.Del("Range")
	return &r2
}

// serveFile sends the regular file as the content of name, in the given
// coding when it is not empty. It reports false when file cannot be opened
// or is not a regular file.
func serveFile(w http.ResponseWriter, r *http.Request, name, file, coding string) bool {
	f, err := os.Open(file)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	if coding != "" {
		h := w.Header()
		h.Add("Vary", "Accept-Encoding")
		h.Set("Content-Encoding", coding)
		h.Set("Content-Type", contentType(name))
	}
	http.ServeContent(w, r, name, fi.ModTime(), f)
	return true
}

// contentType returns the media type of name by its extension.
func contentType(name string) string {
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		return ct
	}
	return "application/octet-stream"
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
