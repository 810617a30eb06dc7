//go:build !(js && wasm)

package eventsource

import "net/http"

// requestOptions shape the requests of a native Source.
type requestOptions struct {
	client *http.Client
	header http.Header
	jar    http.CookieJar
}

// WithHTTPClient makes a native Source send its requests with c instead of a
// client of its own. The Source uses a copy of c without its Timeout, which
// would cut every stream, and with a redirect policy that keeps WithHeader's
// headers and credentials to the origin of the URL; c's own CheckRedirect, if
// any, is called after it.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) { o.request.client = c }
}

// WithHeader adds a header to every request of a native Source, such as an
// Authorization header. It is not sent to another origin that a redirect
// leads to. A native Source sends the request headers of a browser's
// EventSource: Accept: text/event-stream, Cache-Control: no-cache and, to
// resume, Last-Event-ID. WithHeader may replace Cache-Control (and add
// Pragma: no-cache, which browsers no longer send, for an HTTP/1.0 cache);
// Accept and Last-Event-ID are the protocol's and stay the Source's own. The
// browser's EventSource cannot send headers: the option exists only natively.
func WithHeader(key, value string) Option {
	return func(o *options) {
		if o.request.header == nil {
			o.request.header = http.Header{}
		}
		o.request.header.Add(key, value)
	}
}

// WithCookieJar makes a native Source send the cookies of jar and keep the
// ones the server sets. Without it the Source uses its HTTP client's jar, if
// any, and WithCredentials gives it a jar of its own.
func WithCookieJar(jar http.CookieJar) Option {
	return func(o *options) { o.request.jar = jar }
}
