//go:build js && wasm

package eventsource

// requestOptions are empty in the browser, which makes the requests of its
// EventSource itself.
type requestOptions struct{}
