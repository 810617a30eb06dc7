// Package tlscert serves a TLS certificate and key pair read from files, and
// reads it again when the files are replaced, so that a renewed certificate
// (certbot, cert-manager) is served without a restart.
package tlscert

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// CheckInterval is how often, at most, a handshake looks whether the files
// were replaced.
const CheckInterval = 2 * time.Second

// Reloader serves a certificate and key pair read from files. A new
// handshake that comes CheckInterval or more after the last look at the
// files looks again, and reads the pair again if either file changed:
// new handshakes get the new pair while open connections go on. A
// replacement that does not load is logged once and the previous pair
// stays in service.
//
// A Reloader starts no goroutine and keeps no file open: the handshakes do
// the looking, so there is nothing to stop, and it is done with when its
// tls.Config is.
type Reloader struct {
	certFile, keyFile string
	every             time.Duration // between looks at the files
	log               *slog.Logger

	mu      sync.Mutex
	cert    *tls.Certificate
	stamps  [2]os.FileInfo // of certFile and keyFile, when last read
	checked time.Time
}

// NewReloader loads the pair of certFile and keyFile, both PEM, or says why
// it cannot. Reloads, and replacements that fail to load, are logged to
// log, or to slog.Default() when log is nil.
func NewReloader(certFile, keyFile string, log *slog.Logger) (*Reloader, error) {
	if log == nil {
		log = slog.Default()
	}
	r := &Reloader{certFile: certFile, keyFile: keyFile, every: CheckInterval, log: log}
	stamps, _ := r.stat()
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("load tls certificate %q and key %q: %w", certFile, keyFile, err)
	}
	r.cert, r.stamps, r.checked = &cert, stamps, time.Now()
	return r, nil
}

// TLSConfig returns a tls.Config that serves r's pair, TLS 1.2 at least,
// and in TLS 1.2 only the AEAD cipher suites with forward secrecy
// (AES-GCM and ChaCha20-Poly1305 over ECDHE): none of the CBC ones. Given
// to an http.Server, it serves HTTP/2 as well as HTTP/1.1.
func (r *Reloader) TLSConfig() *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS12, CipherSuites: AEADCipherSuites, GetCertificate: r.GetCertificate}
}

// AEADCipherSuites are the TLS 1.2 cipher suites TLSConfig offers. TLS 1.3
// has only AEAD suites, and Go does not let them be chosen.
var AEADCipherSuites = []uint16{
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
}

// GetCertificate returns the pair to serve, read again first when the files
// changed since the last look. It is a tls.Config.GetCertificate.
func (r *Reloader) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
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
func (r *Reloader) reloadIfChanged() {
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
func (r *Reloader) stat() ([2]os.FileInfo, error) {
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
