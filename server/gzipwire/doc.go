// Package gzipwire makes the pieces of a gzip stream that is written one
// event at a time, each event compressed once for every stream that carries
// it.
//
// A deflate stream may be the concatenation of independently compressed
// pieces, each byte-aligned and none final. A Piece is one: the deflate
// blocks of one event's bytes, ended by a sync flush (an empty stored
// block), compressed with no dictionary and no state from any other piece.
// A stream is then its header (AppendHeader), the pieces of what it sends in order, and, when
// it ends cleanly, AppendEnd's final block and trailer. Nothing is kept per
// stream but a Sum: the CRC-32 and the length of what it sent, which the
// trailer needs.
package gzipwire
