package sse

import (
	"testing"
	"unicode/utf8"
)

func TestAppendText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"ASCII is kept", "abc", "abc"},
		{"valid UTF-8 is kept", "é✓😀\U0010ffff", "é✓😀\U0010ffff"},
		{"the Unicode standard's table 3-8 example decodes as it shows", "\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64", "a\ufffd\ufffd\ufffdb\ufffdc\ufffd\ufffdd"},
		{"a lone continuation byte is one U+FFFD", "\x80", "\ufffd"},
		{"a byte that cannot lead is one U+FFFD", "\xc0\xf5\xff", "\ufffd\ufffd\ufffd"},
		{"an overlong sequence is one U+FFFD per byte", "\xe0\x80\x80", "\ufffd\ufffd\ufffd"},
		{"an encoded surrogate is one U+FFFD per byte", "\xed\xa0\x80", "\ufffd\ufffd\ufffd"},
		{"a code point over U+10FFFF is one U+FFFD per byte", "\xf4\x90\x80\x80", "\ufffd\ufffd\ufffd\ufffd"},
		{"a truncated three-byte sequence is one U+FFFD", "\xe2\x82", "\ufffd"},
		{"a truncated four-byte sequence is one U+FFFD", "\xf0\x9f\x98", "\ufffd"},
		{"a truncated sequence before ASCII is one U+FFFD and the ASCII", "\xf0\x9f\x98:", "\ufffd:"},
		{"a truncated sequence before a lead byte restarts there", "\xe2\x82\xe2\x82\xac", "\ufffd€"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(appendText([]byte("<"), []byte(tc.in))); got != "<"+tc.want {
				t.Errorf("appendText(%q) = %q, want %q", tc.in, got[1:], tc.want)
			}
			if got := decodeUTF8Spec([]byte(tc.in)); got != tc.want {
				t.Errorf("the reference decoder gives %q, want %q", got, tc.want)
			}
		})
	}
}

// FuzzAppendText compares appendText with decodeUTF8Spec, a word-for-word
// rendering of the Encoding standard's UTF-8 decoder.
func FuzzAppendText(f *testing.F) {
	for _, s := range []string{"", "abc", "\xf1\x80\x80\xe1\x80\xc2", "\xed\xa0\x80", "\xf4\x90\x80\x80", "é✓😀"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got := string(appendText(nil, b))
		if want := decodeUTF8Spec(b); got != want {
			t.Fatalf("appendText(%q) = %q, the spec's decoder gives %q", b, got, want)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("appendText(%q) = %q, which is not valid UTF-8", b, got)
		}
	})
}

// decodeUTF8Spec is the UTF-8 decoder of the WHATWG Encoding standard, step
// by step, with the stream's end handled as its end-of-queue item.
func decodeUTF8Spec(in []byte) string {
	var out []rune
	codePoint, bytesSeen, bytesNeeded := rune(0), 0, 0
	lower, upper := byte(0x80), byte(0xbf)
	for i := 0; ; i++ {
		if i == len(in) {
			if bytesNeeded != 0 {
				out = append(out, utf8.RuneError)
			}
			return string(out)
		}
		b := in[i]
		if bytesNeeded == 0 {
			switch {
			case b <= 0x7f:
				out = append(out, rune(b))
			case b >= 0xc2 && b <= 0xdf:
				bytesNeeded, codePoint = 1, rune(b&0x1f)
			case b >= 0xe0 && b <= 0xef:
				if b == 0xe0 {
					lower = 0xa0
				}
				if b == 0xed {
					upper = 0x9f
				}
				bytesNeeded, codePoint = 2, rune(b&0xf)
			case b >= 0xf0 && b <= 0xf4:
				if b == 0xf0 {
					lower = 0x90
				}
				if b == 0xf4 {
					upper = 0x8f
				}
				bytesNeeded, codePoint = 3, rune(b&0x7)
			default:
				out = append(out, utf8.RuneError)
			}
			continue
		}
		if b < lower || b > upper {
			codePoint, bytesNeeded, bytesSeen = 0, 0, 0
			lower, upper = 0x80, 0xbf
			out = append(out, utf8.RuneError)
			i-- // restore the byte to the stream
			continue
		}
		lower, upper = 0x80, 0xbf
		codePoint = codePoint<<6 | rune(b&0x3f)
		bytesSeen++
		if bytesSeen != bytesNeeded {
			continue
		}
		out = append(out, codePoint)
		codePoint, bytesNeeded, bytesSeen = 0, 0, 0
	}
}
