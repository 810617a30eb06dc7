// Package e2e holds the end-to-end tests: they build the real binary and the
// real WebAssembly front end, start the server on loopback and drive Debian's
// Chromium against it with chromedp.
package e2e
