package gzipwire

import (
	"bytes"
	"hash/crc32"

	"github.com/klauspost/compress/flate"
)

// Header is the gzip header every stream begins with: deflate, no name, no
// time, unknown operating system.
var Header = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// Piece is the compressed form of some bytes, as a stream sends it: Bytes is
// a byte-aligned, non-final run of deflate blocks that inflates to them. It
// is immutable once made.
type Piece struct {
	// Bytes are the deflate blocks.
	Bytes []byte
	// CRC is the CRC-32 (IEEE) of the uncompressed bytes.
	CRC uint32
	// Size is the length of the uncompressed bytes.
	Size int
	// shift is x^(8*Size) mod the CRC polynomial, which appends this
	// piece's CRC to any other's (see Sum.AddPiece).
	shift uint32
	// raw are the uncompressed bytes, for Sum.AddPiece to hash when that
	// is cheaper than combining CRCs.
	raw []byte
}

// NewPiece returns the piece of raw, which it keeps: compressed, or stored
// when that is no longer. The compressor is klauspost/compress's stateless
// deflate, which holds no state between calls, so no compressor memory is
// kept anywhere, and took about as many instructions as its level-1 writer
// and half those of compress/flate's at level 1 (BenchmarkPieces).
//
// Small events are where a piece may not pay for itself: a dynamic
// Huffman block's header outweighs what little it saves. Measured
// (BenchmarkPieces), the load generator's 90-byte probe compressed to 79
// bytes against 95 stored, but a 130-byte figure of the demo came out
// longer than stored, and a 2 KB log line went to a third. So NewPiece
// keeps the shorter of the two for each event rather than applying a size
// threshold: it needs no tuning, costs one compression per event however
// many streams send it, and never makes a stream longer than stored blocks
// would (five bytes an event over the raw stream, at most).
func NewPiece(raw []byte) *Piece {
	p := &Piece{CRC: crc32.ChecksumIEEE(raw), Size: len(raw), shift: shiftFor(len(raw)), raw: raw}
	stored := storedLen(len(raw))
	var b bytes.Buffer
	b.Grow(stored)
	// StatelessDeflate ends a piece it does not make final with an empty
	// stored block, a sync flush. Writing to a bytes.Buffer cannot fail.
	_ = flate.StatelessDeflate(&b, raw, false, nil)
	if b.Len() < stored {
		p.Bytes = bytes.Clone(b.Bytes())
		return p
	}
	p.Bytes = AppendStored(make([]byte, 0, stored), raw, false)
	return p
}

// maxStored is the most bytes one stored block holds.
const maxStored = 1<<16 - 1

// storedLen returns the length of n bytes in stored blocks: five bytes of
// header per block, and one block for nothing.
func storedLen(n int) int {
	blocks := max((n+maxStored-1)/maxStored, 1)
	return n + 5*blocks
}

// AppendStored appends raw to dst as stored blocks, the last one final when
// final is set: a byte-aligned piece made without a compressor, for the few
// bytes a stream sends of its own (its preamble, heartbeats, the retry that
// ends it).
func AppendStored(dst, raw []byte, final bool) []byte {
	for {
		n := min(len(raw), maxStored)
		last := n == len(raw)
		var bfinal byte
		if last && final {
			bfinal = 1
		}
		dst = append(dst, bfinal, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
		dst = append(dst, raw[:n]...)
		raw = raw[n:]
		if last {
			return dst
		}
	}
}
