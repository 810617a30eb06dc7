package ui

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// callAPI sends a request to the server's JSON API with the browser's fetch,
// cookies included, and decodes the answer into out unless it is nil. It
// waits for the answer, so it runs in a goroutine of its own (ctx.Async). An
// answer that is not a 2xx is an *apiError. The browser's fetch keeps net/http
// out of the WebAssembly build, which it would double.
func callAPI(method, path string, body, out any) error {
	init := map[string]any{
		"method":      method,
		"credentials": "same-origin",
		"headers":     map[string]any{"Accept": "application/json", "Content-Type": "application/json"},
	}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
		init["body"] = string(b)
	}
	resp, err := await(app.Window().Call("fetch", path, init))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	text, err := await(resp.Call("text"))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	status := resp.Get("status").Int()
	if status < 200 || status > 299 {
		e := &apiError{Status: status}
		if json.Unmarshal([]byte(text.String()), e) != nil || e.Message == "" {
			e.Message = resp.Get("statusText").String()
		}
		return e
	}
	if out == nil || status == 204 {
		return nil
	}
	if err := json.Unmarshal([]byte(text.String()), out); err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	return nil
}

// apiError is an answer of the API that is not a success.
type apiError struct {
	Status  int
	Message string `json:"error"`
}

func (e *apiError) Error() string { return e.Message }

// await waits for promise p to settle and returns its value, or its reason
// as an error.
func await(p app.Value) (app.Value, error) {
	type result struct {
		v   app.Value
		err error
	}
	done := make(chan result, 1)
	then := app.FuncOf(func(_ app.Value, args []app.Value) any {
		done <- result{v: args[0]}
		return nil
	})
	defer then.Release()
	catch := app.FuncOf(func(_ app.Value, args []app.Value) any {
		done <- result{err: errors.New(args[0].Call("toString").String())}
		return nil
	})
	defer catch.Release()
	p.Call("then", then, catch)
	r := <-done
	return r.v, r.err
}
