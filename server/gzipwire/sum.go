package gzipwire

import "hash/crc32"

// Sum is the CRC-32 and the length, modulo 2^32, of the uncompressed bytes
// of a stream so far: what its gzip trailer holds. The zero Sum is that of
// nothing.
type Sum struct {
	crc  uint32
	size uint32
}

// Add returns s followed by raw, hashing raw: for the bytes a stream sends
// of its own.
func (s Sum) Add(raw []byte) Sum {
	return Sum{crc: crc32.Update(s.crc, crc32.IEEETable, raw), size: s.size + uint32(len(raw))}
}

// AddPiece returns s followed by the bytes of p. A long piece's CRC is
// combined with s's, one polynomial product whatever its length, so the
// stream does not read its bytes again; a short one's bytes are hashed,
// which costs less. Measured in instructions under callgrind
// (BenchmarkStreamCRC), hashing took about 250 plus half an instruction a
// byte, and combining 500: they cross near 500 bytes, and timings, where
// the CRC instructions of the CPU make hashing faster, put it higher.
func (s Sum) AddPiece(p *Piece) Sum {
	if p.size < combineFrom {
		return s.Add(p.raw)
	}
	return s.combine(p)
}

// combine returns s followed by the bytes of p, from p's CRC.
func (s Sum) combine(p *Piece) Sum {
	return Sum{crc: mulModP(p.shift, s.crc) ^ p.crc, size: s.size + uint32(p.size)}
}

// combineFrom is the size from which AddPiece combines CRCs.
const combineFrom = 1 << 10

// Size returns the length of the bytes summed, modulo 2^32.
func (s Sum) Size() uint32 { return s.size }

// AppendEnd appends to dst the end of a stream whose bytes sum to s: last,
// the last of them, in a final stored block, then the gzip trailer.
func AppendEnd(dst []byte, s Sum, last []byte) []byte {
	dst = AppendStored(dst, last, true)
	return append(dst,
		byte(s.crc), byte(s.crc>>8), byte(s.crc>>16), byte(s.crc>>24),
		byte(s.size), byte(s.size>>8), byte(s.size>>16), byte(s.size>>24))
}

// The arithmetic of CRC-32 combination, in the reflected bit order of
// crc32.IEEE: polynomials modulo P, with x^0 as the top bit.

// x2n holds x^(2^k) mod P for k from 0 to 31.
var x2n = func() (t [32]uint32) {
	p := uint32(1) << 30 // x^1
	for k := range t {
		t[k] = p
		p = mulModP(p, p)
	}
	return t
}()

// mulModP returns a times b modulo P, without branches: the bits of a
// decide by masks, not by jumps that a CPU would mispredict half the time.
func mulModP(a, b uint32) uint32 {
	var p uint32
	for i := 31; i >= 0; i-- {
		p ^= b & -(a >> uint(i) & 1)
		b = b>>1 ^ crc32.IEEE&-(b&1)
	}
	return p
}

// shiftFor returns x^(8n) mod P: appending n bytes to a message multiplies
// its CRC by it.
func shiftFor(n int) uint32 {
	p := uint32(1) << 31 // x^0
	bits := uint64(n) * 8
	for k := 0; bits != 0; k, bits = k+1, bits>>1 {
		if bits&1 != 0 {
			p = mulModP(x2n[k&31], p)
		}
	}
	return p
}
