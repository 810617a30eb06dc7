package main

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// fetch sends a request with the browser's fetch, with form as its
// urlencoded body unless it is empty, and calls done with the answer's status
// and body; with status 0 and the reason when there is no answer. The
// browser's fetch keeps net/http, which would double app.wasm, out of the
// browser build.
func fetch(method, path, form string, done func(status int, body string)) {
	init := map[string]any{"method": method}
	if form != "" {
		init["body"] = form
		init["headers"] = map[string]any{"Content-Type": "application/x-www-form-urlencoded"}
	}
	var onAnswer, onBody, onFail app.Func
	release := func() { onAnswer.Release(); onBody.Release(); onFail.Release() }
	status := 0
	onAnswer = app.FuncOf(func(_ app.Value, args []app.Value) any {
		status = args[0].Get("status").Int()
		args[0].Call("text").Call("then", onBody, onFail)
		return nil
	})
	onBody = app.FuncOf(func(_ app.Value, args []app.Value) any {
		release()
		done(status, args[0].String())
		return nil
	})
	onFail = app.FuncOf(func(_ app.Value, args []app.Value) any {
		release()
		done(0, args[0].Call("toString").String())
		return nil
	})
	app.Window().Call("fetch", path, init).Call("then", onAnswer, onFail)
}
