// Package fetch calls a JSON API, such as Herald's, with one API in both
// builds of a go-app program: JSON sends a request and decodes the answer.
//
// In the browser (GOOS=js GOARCH=wasm) it uses the browser's fetch through
// syscall/js, with the page's cookies (credentials "same-origin"), so that
// net/http, which would double app.wasm, stays out of the build. The URL may
// be relative to the page, such as "/session". JSON blocks the calling
// goroutine until the browser answers: call it from a goroutine of its own,
// such as ctx.Async in a go-app component, never from a JavaScript callback
// (an event handler of syscall/js), which would block the page's event loop
// that the answer needs.
//
// Natively it uses net/http's default client, without cookies, and the URL
// must be absolute, such as "http://127.0.0.1:8000/session".
package fetch
