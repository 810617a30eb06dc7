//go:build !(js && wasm)

package eventsource

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// askForGzip asks for the stream of req gzipped, unless the options set an
// Accept-Encoding of their own. The Source reads it itself (see
// decodedBody) rather than leave it to net/http, whose transparent gzip
// applies only with a Transport that has not disabled compression.
func askForGzip(req *http.Request) {
	if req.Header.Get("Accept-Encoding") == "" {
		req.Header.Set("Accept-Encoding", "gzip")
	}
}

// decodedBody returns body, the stream of resp, decompressed when resp says
// it is gzipped. The gzip header is read at the first read, not here: a
// server may send it only with the stream's first event, and the Source is
// open once the answer's header is in. Each event then comes out as soon as
// its bytes arrive: a server that compresses an event at a time ends each
// with a sync flush, at which compress/gzip hands out what it has.
func decodedBody(resp *http.Response, body io.Reader) io.Reader {
	if !strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip") {
		return body
	}
	return &gunzip{src: body, url: resp.Request.URL.Redacted()}
}

// gunzip decodes the gzip stream src from the stream at url, starting at
// its first read.
type gunzip struct {
	src io.Reader
	url string
	z   *gzip.Reader
}

// Read reads decoded bytes.
func (g *gunzip) Read(p []byte) (int, error) {
	if g.z == nil {
		z, err := gzip.NewReader(g.src)
		if err != nil {
			return 0, fmt.Errorf("GET %s: read the gzip header of the stream: %w", g.url, err)
		}
		g.z = z
	}
	return g.z.Read(p)
}
