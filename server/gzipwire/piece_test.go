package gzipwire

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"
)

// stream returns the gzip stream of raws, sent as pieces, ended by last. It
// fails t if compress/gzip, reading the stream so far after a piece, would
// not hand out all the piece's bytes before it needs more input.
func stream(t *testing.T, raws [][]byte, last []byte) (gz, plain []byte) {
	t.Helper()
	gz = AppendHeader(nil)
	var s Sum
	for i, raw := range raws {
		p := NewPiece(raw)
		gz = append(gz, p.Bytes()...)
		s = s.AddPiece(p)
		plain = append(plain, raw...)
		if err := readableAtOnce(gz, plain); err != nil {
			t.Fatalf("after piece %d: %v", i, err)
		}
	}
	return AppendEnd(gz, s.Add(last), last), append(plain, last...)
}

// readableAtOnce reports an error unless compress/gzip reads want from gz,
// a stream that is not over, without waiting for more input, as a client
// would wait for the next event.
func readableAtOnce(gz, want []byte) error {
	src := &stallingReader{data: gz, stalled: make(chan struct{}), release: make(chan struct{})}
	defer close(src.release)
	done := make(chan error, 1)
	go func() { done <- readExactly(src, want) }()
	select {
	case err := <-done:
		return err
	case <-src.stalled:
		return fmt.Errorf("compress/gzip waits for more input before handing out the %d bytes sent", len(want))
	}
}

// readExactly reads want from the gzip stream of src.
func readExactly(src io.Reader, want []byte) error {
	r, err := gzip.NewReader(src)
	if err != nil {
		return fmt.Errorf("read gzip header: %w", err)
	}
	got := make([]byte, len(want))
	if _, err := io.ReadFull(r, got); err != nil {
		return fmt.Errorf("read the %d bytes sent: %w", len(want), err)
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("read %q, want %q", got, want)
	}
	return nil
}

// stallingReader reads data, then, as a connection waiting for the next
// event would, blocks: it closes stalled, and waits for release to fail.
type stallingReader struct {
	data             []byte
	stalled, release chan struct{}
}

func (r *stallingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		close(r.stalled)
		<-r.release
		return 0, errors.New("no more input")
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestAStreamOfPiecesInflatesToWhatWasSent(t *testing.T) {
	log := []byte("id: 7\nevent: log\ndata: " + strings.Repeat(`{"level":"info","text":"GET /events 200"}`, 50) + "\n\n")
	tests := []struct {
		name string
		raws [][]byte
		last []byte
	}{
		{"no event and no last bytes", nil, nil},
		{"a heartbeat", [][]byte{[]byte(":\n\n")}, nil},
		{"stored events, each read at once", [][]byte{[]byte("retry: 3000\n\n"), []byte("id: 1\ndata: x\n\n"), []byte(":\n\n")}, nil},
		{"small and large events, then a retry", [][]byte{[]byte("id: 1\ndata: x\n\n"), log, log}, []byte("retry: 3000\n\n")},
		{"an empty piece between events", [][]byte{log, nil, log}, []byte("retry: 1\n\n")},
		{"an event longer than a stored block", [][]byte{bytes.Repeat([]byte("0123456789abcdef"), 9000)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gz, want := stream(t, tt.raws, tt.last)
			got, err := gunzip(gz)
			if err != nil {
				t.Fatalf("gunzip: %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("gunzip = %d bytes, want the %d sent", len(got), len(want))
			}
		})
	}
}

func TestAPieceIsNeverLongerThanStoredBlocks(t *testing.T) {
	tests := []struct {
		name string
		raw  []byte
	}{
		{"nothing", nil},
		{"a heartbeat", []byte(":\n\n")},
		{"a probe event", []byte(`id: 123456` + "\nevent: probe\ndata: " + `{"t":1764555555123456789,"s":123456,"pad":"xxxxxxxxxxxxxx"}` + "\n\n")},
		{"bytes that do not compress", bytes.Repeat([]byte{0x9e, 0x37, 0x79, 0xb9, 0x7f, 0x4a, 0x7c, 0x15}, 40)},
		{"bytes that compress", bytes.Repeat([]byte("data: abc\n"), 200)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPiece(tt.raw)
			if got, limit := len(p.Bytes()), storedLen(len(tt.raw)); got > limit {
				t.Errorf("piece of %d bytes is %d long, over the %d of stored blocks", len(tt.raw), got, limit)
			}
		})
	}
}

func TestSumsOfPiecesAreTheCRCOfTheirConcatenation(t *testing.T) {
	parts := [][]byte{nil, []byte("a"), []byte("id: 1\ndata: hello\n\n"), bytes.Repeat([]byte("z"), 70000)}
	var s Sum
	var all []byte
	for i, part := range parts {
		if i%2 == 0 {
			s = s.combine(NewPiece(part))
		} else {
			s = s.Add(part)
		}
		all = append(all, part...)
		if want := crc32.ChecksumIEEE(all); s.crc != want {
			t.Fatalf("after %d parts: crc %08x, want %08x", i+1, s.crc, want)
		}
		if s.size != uint32(len(all)) {
			t.Fatalf("after %d parts: size %d, want %d", i+1, s.size, len(all))
		}
	}
}

func FuzzStreamsOfPiecesInflateToWhatWasSent(f *testing.F) {
	f.Add([]byte("id: 1\ndata: hello\n\n"), uint8(3), []byte("retry: 10\n\n"))
	f.Add([]byte(""), uint8(0), []byte(""))
	f.Add(bytes.Repeat([]byte("data: abcabc\n"), 300), uint8(7), []byte(":\n\n"))
	f.Fuzz(func(t *testing.T, data []byte, cuts uint8, last []byte) {
		raws := split(data, int(cuts))
		gz, want := stream(t, raws, last)
		got, err := gunzip(gz)
		if err != nil {
			t.Fatalf("gunzip of %d pieces: %v", len(raws), err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("gunzip of %d pieces = %q, want %q", len(raws), got, want)
		}
	})
}

// split cuts data into up to n+1 parts at places taken from its own bytes.
func split(data []byte, n int) [][]byte {
	var out [][]byte
	for i := 0; i < n && len(data) > 0; i++ {
		at := int(data[0]) % (len(data) + 1)
		out = append(out, data[:at])
		data = data[at:]
	}
	return append(out, data)
}

// gunzip reads gz to its end with compress/gzip.
func gunzip(gz []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("read gzip header: %w", err)
	}
	return io.ReadAll(r)
}
