// Command precompress writes a brotli and a gzip twin beside each file it is
// given, at the highest compression levels, so that a server can send the
// encoding a browser accepts without compressing on every request:
//
//	go run ./tools/precompress web/app.wasm   # web/app.wasm.br, web/app.wasm.gz
//
// Each twin is written to a temporary file and renamed into place, so a
// running server never serves half of one.
package main

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/andybalholm/brotli"
)

// encoders are the twins written for each file, by file name suffix.
var encoders = map[string]func(io.Writer) io.WriteCloser{
	".br": func(w io.Writer) io.WriteCloser {
		return brotli.NewWriterOptions(w, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: 24})
	},
	".gz": func(w io.Writer) io.WriteCloser {
		z, _ := gzip.NewWriterLevel(w, gzip.BestCompression) // the level is valid
		return z
	},
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: precompress FILE...")
		os.Exit(2)
	}
	errc := make(chan error)
	n := 0
	for _, name := range os.Args[1:] {
		for suffix, enc := range encoders {
			n++
			go func() { errc <- writeTwin(name, name+suffix, enc) }()
		}
	}
	var errs []error
	for range n {
		errs = append(errs, <-errc)
	}
	if err := errors.Join(errs...); err != nil {
		fmt.Fprintln(os.Stderr, "precompress:", err)
		os.Exit(1)
	}
}

// writeTwin writes the content of src, encoded by enc, to dst.
func writeTwin(src, dst string, enc func(io.Writer) io.WriteCloser) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), filepath.Base(dst)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	w := enc(tmp)
	if _, err := io.Copy(w, in); err != nil {
		tmp.Close()
		return fmt.Errorf("compress %s: %w", src, err)
	}
	if err := w.Close(); err != nil {
		tmp.Close()
		return fmt.Errorf("compress %s: %w", src, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}
