// Package events is the demo's own vocabulary, shared by the server binary,
// the browser front end and the command-line tools: its event types, their
// schema and the names of its topics. It holds no mechanism of its own: the
// descriptors are made with shared.Define.
package events
