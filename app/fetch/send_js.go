//go:build js && wasm

package fetch

import (
	"context"
	"errors"
	"syscall/js"
)

// send sends the request with the browser's fetch, the page's cookies
// included, and waits for the whole answer. body is sent as JSON unless nil.
func send(ctx context.Context, method, url string, body []byte) (answer, error) {
	if err := ctx.Err(); err != nil {
		return answer{}, err
	}
	init, stop := requestInit(ctx, method, body)
	defer stop()
	resp, err := await(ctx, js.Global().Call("fetch", url, init))
	if err != nil {
		return answer{}, err
	}
	text, err := await(ctx, resp.Call("text"))
	if err != nil {
		return answer{}, err
	}
	a := answer{
		status:     resp.Get("status").Int(),
		statusText: resp.Get("statusText").String(),
		body:       []byte(text.String()),
	}
	if ct := resp.Get("headers").Call("get", "Content-Type"); ct.Type() == js.TypeString {
		a.contentType = ct.String()
	}
	return a, nil
}

// requestInit returns the options of fetch: method, the page's cookies
// (same origin only), JSON accepted, body as JSON unless nil, and a signal
// that aborts the request when ctx is done, until stop is called.
func requestInit(ctx context.Context, method string, body []byte) (init map[string]any, stop func() bool) {
	headers := map[string]any{"Accept": "application/json"}
	init = map[string]any{"method": method, "credentials": "same-origin", "headers": headers}
	if body != nil {
		headers["Content-Type"] = "application/json"
		init["body"] = string(body)
	}
	if ctx.Done() == nil {
		return init, func() bool { return false }
	}
	abort := js.Global().Get("AbortController").New()
	init["signal"] = abort.Get("signal")
	return init, context.AfterFunc(ctx, func() { abort.Call("abort") })
}

// await blocks until promise p settles, and returns its value, or its reason
// as an error (ctx.Err() if ctx is done, since the abort is the reason then).
// It releases the functions it gives the promise.
func await(ctx context.Context, p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	done := make(chan result, 1)
	onValue := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- result{v: args[0]}
		return nil
	})
	defer onValue.Release()
	onReason := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- result{err: errors.New(js.Global().Get("String").Invoke(args[0]).String())}
		return nil
	})
	defer onReason.Release()
	p.Call("then", onValue, onReason)
	r := <-done
	if r.err != nil && ctx.Err() != nil {
		return js.Value{}, ctx.Err()
	}
	return r.v, r.err
}
