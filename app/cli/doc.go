//go:build !(js && wasm)

// Package cli holds the client subcommands of the herald binary: Tail, which
// prints the events of a stream as they come, and Publish, which sends one
// event, or many read from standard input, and Load, a load generator that
// measures a server's delivery (its engine is internal/load). Each takes the arguments after its
// name and the output streams (Publish also its input), and returns the exit
// code: 0 on success, 1 on failure, 2 for bad usage.
package cli
