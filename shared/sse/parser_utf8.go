package sse

import "unicode/utf8"

// appendText appends b to dst decoded as the Encoding standard's UTF-8 decode
// reads it, which is how a browser reads an event stream: each maximal
// subpart of an ill-formed sequence becomes one U+FFFD. Valid UTF-8 is
// appended as it is.
//
// Decoding a line at a time gives what decoding the whole stream would: CR,
// LF and the colon are ASCII, which an ill-formed sequence never takes in.
func appendText(dst, b []byte) []byte {
	if utf8.Valid(b) {
		return append(dst, b...)
	}
	for i := 0; i < len(b); {
		n := sequenceLen(b[i:])
		if n == 0 {
			dst = utf8.AppendRune(dst, utf8.RuneError)
			i += maximalSubpart(b[i:])
			continue
		}
		dst = append(dst, b[i:i+n]...)
		i += n
	}
	return dst
}

// text returns b as a string, decoded like appendText does.
func text(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return string(appendText(nil, b))
}

// sequenceLen returns the length of the well-formed UTF-8 sequence at the
// start of b, or 0 if b does not start with one.
func sequenceLen(b []byte) int {
	if b[0] < utf8.RuneSelf {
		return 1
	}
	r, n := utf8.DecodeRune(b)
	if r == utf8.RuneError && n == 1 {
		return 0
	}
	return n
}

// maximalSubpart returns the length of the longest start of b that could
// begin a well-formed sequence, for a b that does not start with one: the
// bytes that the UTF-8 decoder reads before it gives up and emits U+FFFD. It
// is 1 for a byte that cannot lead a sequence.
func maximalSubpart(b []byte) int {
	need, lo, hi := leadByte(b[0])
	n := 1
	for ; need > 0 && n < len(b); need-- {
		if b[n] < lo || b[n] > hi {
			break
		}
		lo, hi = 0x80, 0xbf
		n++
	}
	return n
}

// leadByte returns how many continuation bytes lead byte c needs and the
// range the first of them must fall in. A byte that cannot lead needs none.
func leadByte(c byte) (need int, lo, hi byte) {
	switch {
	case c >= 0xc2 && c <= 0xdf:
		return 1, 0x80, 0xbf
	case c == 0xe0:
		return 2, 0xa0, 0xbf
	case c == 0xed:
		return 2, 0x80, 0x9f
	case c >= 0xe1 && c <= 0xef:
		return 2, 0x80, 0xbf
	case c == 0xf0:
		return 3, 0x90, 0xbf
	case c >= 0xf1 && c <= 0xf3:
		return 3, 0x80, 0xbf
	case c == 0xf4:
		return 3, 0x80, 0x8f
	}
	return 0, 0, 0
}
