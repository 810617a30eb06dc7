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
// it is gzipped. It reads the gzip header, which a Herald server sends with
// the stream's first bytes. Each event then comes out as soon as its bytes
// arrive: a server that compresses an event at a time ends each with a
// sync flush, at which compress/gzip hands out what it has.
func decodedBody(resp *http.Response, body io.Reader) (io.Reader, error) {
	if !strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip") {
		return body, nil
	}
	gz, err := gzip.NewReader(body)
	if err != nil {
		return nil, fmt.Errorf("GET %s: read the gzip header of the stream: %w", resp.Request.URL.Redacted(), err)
	}
	return gz, nil
}
