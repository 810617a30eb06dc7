package server

import (
	"strings"
	"testing"
)

func TestAcceptEncodingTakesGzipOnlyWithAWeightAboveZero(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		want   bool
	}{
		{"no field", nil, false},
		{"an empty field", []string{""}, false},
		{"gzip alone", []string{"gzip"}, true},
		{"gzip among others, as browsers send it", []string{"gzip, deflate, br, zstd"}, true},
		{"gzip in upper case with spaces", []string{"  GZIP ;Q=0.5 "}, true},
		{"x-gzip, its alias", []string{"x-gzip"}, true},
		{"gzip with weight zero", []string{"gzip;q=0"}, false},
		{"gzip with weight 0.000", []string{"br, gzip; q=0.000"}, false},
		{"gzip refused and star taken", []string{"*, gzip;q=0"}, false},
		{"star alone", []string{"*"}, true},
		{"star with weight zero", []string{"*;q=0"}, false},
		{"only other codings", []string{"br, identity"}, false},
		{"gzip in a second field", []string{"br", "gzip"}, true},
		{"gzip listed twice, once refused", []string{"gzip;q=0, gzip;q=0.2"}, true},
		{"a weight above one", []string{"gzip;q=2"}, false},
		{"a weight with four decimals", []string{"gzip;q=0.0001"}, false},
		{"a weight that is no number", []string{"gzip;q=high"}, false},
		{"another parameter before the weight", []string{"gzip;level=9;q=0.7"}, true},
		{"gzip as part of another name", []string{"gzipped, xgzip"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := acceptsGzip(tt.values); got != tt.want {
				t.Errorf("acceptsGzip(%q) = %v, want %v", tt.values, got, tt.want)
			}
		})
	}
}

func FuzzAcceptEncoding(f *testing.F) {
	for _, s := range []string{"gzip", "gzip;q=0", "*;q=0.5, gzip;q=0", "br, deflate", "x-gzip;q=1.000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := acceptsGzip([]string{s})
		if upper := asciiUpper(s); acceptsGzip([]string{upper}) != got {
			t.Errorf("acceptsGzip(%q) = %v, but %v for %q: codings and q are case-insensitive", s, got, !got, upper)
		}
		if refused := s + ", gzip;q=0, x-gzip;q=0"; acceptsGzip([]string{refused}) && !got {
			t.Errorf("acceptsGzip(%q) is true though it adds refusals to %q, which is false", refused, s)
		}
		if acceptsGzip([]string{s, "gzip"}) != true {
			t.Errorf("acceptsGzip(%q, \"gzip\") is false: a field listing gzip should win over refusals", s)
		}
	})
}

// asciiUpper returns s with its ASCII letters in upper case, and every
// other byte as it is.
func asciiUpper(s string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}
