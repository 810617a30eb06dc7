// Package shared is Herald's event schema: the Go types that travel as
// server-sent events, each bound to its event name by a typed descriptor, so that
// the server that publishes them and the WebAssembly front end that receives
// them compile from the same definitions.
//
// A descriptor is made once, at package level:
//
//	var Notify = shared.Define[Notification]("notification")
//
// The server looks types up by name in a Schema to validate published JSON; the
// clients decode with the descriptor and get the Go value.
package shared
