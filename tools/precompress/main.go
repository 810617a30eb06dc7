// Command precompress writes a brotli and a gzip twin beside each file it is
// given, so that a server can send the encoding a browser accepts without
// compressing on every request:
//
//	go run ./tools/precompress web/app.wasm         # release: brotli 11, gzip 9
//	go run ./tools/precompress -fast web/app.wasm   # development: brotli 5, gzip 6
//
// The release levels take about 20 seconds on an 8 MB app.wasm for a twin a
// quarter smaller; -fast takes a fraction of a second, for the development
// loop. Each twin is written to a temporary file and renamed into place, so a
// running server never serves half of one.
package main

import (
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/andybalholm/brotli"
)

// encoder makes the writer of one twin.
type encoder func(io.Writer) io.WriteCloser

// encoders returns the twins written for each file, by file name suffix: at
// the highest levels, or at fast ones.
func encoders(fast bool) map[string]encoder {
	bq, gl := brotli.BestCompression, gzip.BestCompression
	if fast {
		bq, gl = 5, gzip.DefaultCompression
	}
	return map[string]encoder{
		".br": func(w io.Writer) io.WriteCloser {
			return brotli.NewWriterOptions(w, brotli.WriterOptions{Quality: bq, LGWin: 24})
		},
		".gz": func(w io.Writer) io.WriteCloser {
			z, _ := gzip.NewWriterLevel(w, gl) // the level is valid
			return z
		},
	}
}

func main() {
	fast := flag.Bool("fast", false, "compress fast, at lower levels, for development")
	flag.Usage = func() { fmt.Fprintln(os.Stderr, "usage: precompress [-fast] FILE...") }
	flag.Parse()
	if flag.NArg() < 1 {
		flag.Usage()
		os.Exit(2)
	}
	errc := make(chan error)
	n := 0
	for _, name := range flag.Args() {
		for suffix, enc := range encoders(*fast) {
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
func writeTwin(src, dst string, enc encoder) error {
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
