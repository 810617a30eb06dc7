package gzipwire

import (
	"bytes"
	stdflate "compress/flate"
	"hash/crc32"

	"github.com/klauspost/compress/flate"
)

// AppendHeader appends to dst the gzip header every stream begins with:
// deflate, no name, no time, unknown operating system.
func AppendHeader(dst []byte) []byte {
	return append(dst, 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff)
}

// Piece is the compressed form of some bytes, as a stream sends it: a
// byte-aligned, non-final run of deflate blocks that inflates to them. It is
// immutable once made, and only NewPiece makes one.
type Piece struct {
	// bytes are the deflate blocks.
	bytes []byte
	// crc is the CRC-32 (IEEE) of the uncompressed bytes.
	crc uint32
	// size is the length of the uncompressed bytes.
	size int
	// shift is x^(8*Size) mod the CRC polynomial, which appends this
	// piece's CRC to any other's (see Sum.AddPiece).
	shift uint32
	// raw are the uncompressed bytes, for Sum.AddPiece to hash when that
	// is cheaper than combining CRCs.
	raw []byte
}

// Bytes returns the piece's deflate blocks, as a stream sends them. The
// caller must not change them.
func (p *Piece) Bytes() []byte { return p.bytes }

// NewPiece returns the piece of raw, which it keeps: raw compressed by
// klauspost/compress's stateless deflate; failing that, for an event under
// smallEvent bytes, by compress/flate at its best speed; failing that,
// stored.
//
// The stateless deflate holds no state between calls, so no compressor
// memory is kept anywhere, and it took half the instructions of
// compress/flate's level 1 on a 2 KB log line (BenchmarkPieces, under
// callgrind), for a piece as short. Small events are where a piece may not
// pay for itself: the stateless deflate's dynamic Huffman header outweighs
// what it saves there, where compress/flate's fixed codes do better.
// Measured (BenchmarkPieces), the load generator's 100-byte probe went to
// 79 bytes with the first and 91 with the second, 110 stored; a 130-byte
// figure of the demo to 140 (no better than stored) and 118; a 2 KB log
// line to 691, a third. compress/flate is tried only where the stateless
// deflate did no better than stored, which is where it wins, so most
// events are compressed once. Keeping the shorter needs no size threshold
// to tune, costs one or two compressions per event however many streams
// send it, and never makes a stream longer than stored blocks would: five
// bytes for each 64 KiB of an event and five for its sync flush.
func NewPiece(raw []byte) *Piece {
	p := &Piece{crc: crc32.ChecksumIEEE(raw), size: len(raw), shift: shiftFor(len(raw)), raw: raw}
	var b bytes.Buffer
	// StatelessDeflate ends a piece it does not make final with an empty
	// stored block, a sync flush. Writing to a bytes.Buffer cannot fail.
	_ = flate.StatelessDeflate(&b, raw, false, nil)
	best, stored := b.Bytes(), storedLen(len(raw))
	if len(raw) < smallEvent && len(best) >= stored {
		if fixed := deflateFast(raw); len(fixed) < len(best) {
			best = fixed
		}
	}
	if len(best) >= stored {
		p.bytes = AppendStored(make([]byte, 0, stored), raw, false)
		return p
	}
	p.bytes = bytes.Clone(best)
	return p
}

// smallEvent is the size under which NewPiece tries compress/flate too.
const smallEvent = 1 << 10

// fastWriters are idle compress/flate writers at their best speed, shared
// by every piece made, at most keptWriters of them (a writer holds about
// 1 MB). Not a sync.Pool: the race detector drops a quarter of what is put
// in one, and making a writer costs a hundred times what using it does,
// which slowed the race-enabled tests of long replays tenfold.
var fastWriters = make(chan *stdflate.Writer, keptWriters)

// keptWriters is how many idle writers fastWriters keeps.
const keptWriters = 2

func deflateFast(raw []byte) []byte {
	var b bytes.Buffer
	var w *stdflate.Writer
	select {
	case w = <-fastWriters:
		w.Reset(&b)
	default:
		w, _ = stdflate.NewWriter(&b, stdflate.BestSpeed) // a valid level: no error
	}
	_, _ = w.Write(raw) // to a bytes.Buffer: cannot fail
	_ = w.Flush()
	w.Reset(nil)
	select {
	case fastWriters <- w:
	default:
	}
	return b.Bytes()
}

// maxStored is the most bytes one stored block holds.
const maxStored = 1<<16 - 1

// syncFlush is an empty, non-final stored block. A stored block with data
// is not enough to end a piece: compress/flate's reader, which net/http and
// compress/gzip use, hands out what it inflated only at an empty stored
// block, a final block, or a full window; it would hold a stored event back
// until the next compressed one.
var syncFlush = []byte{0, 0, 0, 0xff, 0xff}

// storedLen returns the length of the piece of n bytes in stored blocks:
// five bytes of header per block, and the sync flush.
func storedLen(n int) int {
	blocks := (n + maxStored - 1) / maxStored
	return n + 5*blocks + len(syncFlush)
}

// AppendStored appends raw to dst as stored blocks, followed by a sync
// flush, or with the last block final when final is set: a byte-aligned
// piece made without a compressor, for the few bytes a stream sends of its
// own (its preamble, heartbeats, the retry that ends it).
func AppendStored(dst, raw []byte, final bool) []byte {
	for len(raw) > maxStored {
		dst = appendStoredBlock(dst, raw[:maxStored], false)
		raw = raw[maxStored:]
	}
	if final {
		return appendStoredBlock(dst, raw, true)
	}
	if len(raw) > 0 {
		dst = appendStoredBlock(dst, raw, false)
	}
	return append(dst, syncFlush...)
}

// appendStoredBlock appends raw, at most maxStored bytes, to dst as one
// stored block, final when final is set.
func appendStoredBlock(dst, raw []byte, final bool) []byte {
	var bfinal byte
	if final {
		bfinal = 1
	}
	n := len(raw)
	dst = append(dst, bfinal, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
	return append(dst, raw...)
}
