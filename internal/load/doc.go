// Package load is the engine of "herald load": it opens many event streams
// to a server, publishes probe events through POST /publish, and measures
// what arrives: delivered events a second, the latency from publication to
// the client's read, lost, duplicated and out-of-order events, the time to
// connect, and the server's resident memory when it is a local process.
//
// Each stream is a goroutine on a raw TCP connection that speaks just enough
// HTTP/1.1 to send a GET and read its answer (chunked, and gzip when asked),
// and reads events with the project's parser, shared/sse. A probe's data
// carries "t" (Unix nanoseconds when the load generator built the request)
// and "s" (its sequence number); they are found anywhere in the data, so a
// server may wrap them in an envelope of its own.
//
// Every run is bounded in count (Config.Events) and in time
// (Config.Duration).
package load
