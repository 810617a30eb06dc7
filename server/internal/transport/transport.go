// Package transport writes event streams to clients: through the handler's
// http.ResponseWriter (Response), or, for a plain HTTP/1.1 stream, straight
// to the connection taken from net/http (Conn), which then holds no goroutine
// and no buffer while idle.
//
// Write buffers keep ChunkRoom bytes of room at their start, where a Conn
// puts the header of an HTTP/1.1 chunk: the bytes to write are
// buf[ChunkRoom:].
package transport

// ChunkRoom is the room left at the start of a write buffer for the header
// of an HTTP/1.1 chunk: up to 8 hex digits and CRLF.
const ChunkRoom = 10

// MaxUnsent is the most bytes a connection's socket holds that are not yet
// sent: a client that stops reading leaves at most this much, beyond what
// its own receive window took, in the kernel's buffers, and the rest waits
// in its queue, where the slow-consumer bound applies.
const MaxUnsent = 128 << 10
