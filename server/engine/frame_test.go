package engine

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestTheFrameSizeBoundIsTheSizeOfTheFrameWithTheLongestID(t *testing.T) {
	tests := []struct {
		name string
		data string
	}{
		{"one line of data", `{"message":"hello"}`},
		{"empty data", ``},
		{"data with LF", "a\nb\nc"},
		{"data with CRLF and CR", "a\r\nb\rc\r\n"},
		{"data ending in a line break", "a\n"},
		{"data of line breaks only", "\n\n\r\n\r"},
		{"escapes of canonical JSON", `{"message":"` + strings.Repeat(`\u003c`, 100) + `"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Message{Topic: "public", Type: "notification", Data: []byte(tt.data)}
			f, err := encodeFrame(math.MaxUint64, m, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if got := maxFrameSize(m); got != len(f.Wire()) {
				t.Errorf("maxFrameSize = %d, want the %d bytes of %q", got, len(f.Wire()), f.Wire())
			}
			if b := frameSizeBound(m); b < len(f.Wire()) {
				t.Errorf("frameSizeBound = %d, under the %d bytes of %q", b, len(f.Wire()), f.Wire())
			}
		})
	}
}
