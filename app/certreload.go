//go:build !(js && wasm)

package main

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// certCheckInterval is how often, at most, a handshake looks whether the
// certificate files were replaced.
const certCheckInterval = 2 * time.Second

// certReloader serves a certificate and key pair read from files, and reads
// them again when a new handshake finds that either file changed, so a
// renewed certificate is served without a restart. A replacement that does
// not load is logged once and the previous pair stays in service.
type certReloader struct {
	certFile, keyFile string
	every             time.Duration // between looks at the files
	log               *slog.Logger

	mu      sync.Mutex
	cert    *tls.Certificate
	stamps  [2]os.FileInfo // of certFile and keyFile, when last read
	checked time.Time
}

// newCertReloader loads the pair of certFile and keyFile, or says why it
// cannot.
func newCertReloader(certFile, keyFile string, every time.Duration, log *slog.Logger) (*certReloader, error) {
	r := &certReloader{certFile: certFile, keyFile: keyFile, every: every, log: log}
	stamps, _ := r.stat()
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("load -tls-cert %q and -tls-key %q: %w", certFile, keyFile, err)
	}
	r.cert, r.stamps, r.checked = &cert, stamps, time.Now()
	return r, nil
}

// GetCertificate returns the pair to serve, read again first when the files
// changed since the last look. It is a tls.Config.GetCertificate.
func (r *certReloader) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if now := time.Now(); now.Sub(r.checked) >= r.every {
		r.checked = now
		r.reloadIfChanged()
	}
	return r.cert, nil
}

// reloadIfChanged reads the pair again when either file changed since it was
// last read. The files are looked at before they are read, so a change made
// while reading is seen at the next look.
func (r *certReloader) reloadIfChanged() {
	stamps, err := r.stat()
	if sameFile(stamps[0], r.stamps[0]) && sameFile(stamps[1], r.stamps[1]) {
		return // unchanged, or the same failure to look, already logged
	}
	r.stamps = stamps
	if err == nil {
		var cert tls.Certificate
		if cert, err = tls.LoadX509KeyPair(r.certFile, r.keyFile); err == nil {
			r.cert = &cert
			r.log.Info("tls certificate reloaded", "cert", r.certFile, "key", r.keyFile)
			return
		}
	}
	r.log.Error("tls certificate not reloaded, still serving the previous one", "cert", r.certFile, "key", r.keyFile, "err", err)
}

// stat returns what the files are now; a file that cannot be looked at is
// nil, with the error.
func (r *certReloader) stat() ([2]os.FileInfo, error) {
	var stamps [2]os.FileInfo
	var first error
	for i, name := range []string{r.certFile, r.keyFile} {
		fi, err := os.Stat(name)
		if err != nil && first == nil {
			first = err
		}
		stamps[i] = fi
	}
	return stamps, first
}

// sameFile reports whether a and b are the same file, unchanged: the same
// inode, modification time and size. A file written in place changes its
// time or size; one renamed over it, as certbot and Kubernetes do, is
// another inode.
func sameFile(a, b os.FileInfo) bool {
	if a == nil || b == nil {
		return a == b
	}
	return os.SameFile(a, b) && a.ModTime().Equal(b.ModTime()) && a.Size() == b.Size()
}
