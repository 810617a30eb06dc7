package engine

import (
	"bytes"
	"compress/flate"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAFrameIsCompressedOnceWhateverAsksForItConcurrently(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		readers int
	}{
		{"a small event, one reader", `{"message":"hi"}`, 1},
		{"a large event, many readers", `{"message":"` + strings.Repeat("log line ", 300) + `"}`, 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := encodeFrame(42, Message{Topic: "public", Type: "notification", Data: []byte(tt.data)}, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			got := make([][]byte, tt.readers)
			var wg sync.WaitGroup
			for i := range tt.readers {
				wg.Go(func() { got[i] = f.Gzip().Bytes() })
			}
			wg.Wait()
			for i, b := range got {
				if &b[0] != &got[0][0] {
					t.Fatalf("reader %d got a piece of its own: the frame was compressed again", i)
				}
			}
			inflated, err := io.ReadAll(flate.NewReader(bytes.NewReader(got[0])))
			if err != nil && err != io.ErrUnexpectedEOF {
				t.Fatalf("inflate the piece: %v", err)
			}
			if !bytes.Equal(inflated, f.Wire()) {
				t.Errorf("the piece inflates to %q, want the frame's wire %q", inflated, f.Wire())
			}
		})
	}
}
