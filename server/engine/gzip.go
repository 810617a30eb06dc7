package engine

import (
	"sync"

	"github.com/heraldhq/herald/server/gzipwire"
)

// gzipTwin is the compressed form of a frame, made the first time a gzip
// stream needs it and kept with the frame: in the history as in every
// queue, so each event is compressed once, whoever sends it and whenever.
type gzipTwin struct {
	once  sync.Once
	piece *gzipwire.Piece
}

// Gzip returns the frame's wire compressed for a gzip stream: an
// independent, byte-aligned, non-final deflate piece (see package
// gzipwire), made on the first call, from any goroutine, and the same
// afterwards. The caller must not change it.
func (f *Frame) Gzip() *gzipwire.Piece {
	f.gz.once.Do(func() { f.gz.piece = gzipwire.NewPiece(f.wire) })
	return f.gz.piece
}
