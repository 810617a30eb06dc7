// Package testcert makes self-signed TLS certificates for the tests of
// Herald's TLS paths, on loopback.
package testcert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Hosts are the names a certificate of New is for, besides 127.0.0.1.
var Hosts = []string{"localhost", "herald.test"}

// New returns a new self-signed certificate with serial for Hosts and
// 127.0.0.1, valid for an hour, and its key, in PEM, and the certificate
// parsed.
func New(t testing.TB, serial int64) (certPEM, keyPEM []byte, cert *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial),
		Subject:               pkix.Name{CommonName: "herald test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              Hosts,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if cert, err = x509.ParseCertificate(der); err != nil {
		t.Fatal(err)
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	return certPEM, keyPEM, cert
}

// Pair is a certificate and its key written by Write.
type Pair struct {
	CertFile, KeyFile string
	// Pool trusts the certificate.
	Pool *x509.CertPool
	// SPKI is the SHA-256 of its public key in base64, as Chromium's
	// --ignore-certificate-errors-spki-list takes it.
	SPKI string
}

// Write writes a certificate of New with serial 1, and its key, into dir as
// cert.pem and key.pem.
func Write(t testing.TB, dir string) Pair {
	t.Helper()
	certPEM, keyPEM, cert := New(t, 1)
	p := Pair{CertFile: filepath.Join(dir, "cert.pem"), KeyFile: filepath.Join(dir, "key.pem"), Pool: x509.NewCertPool()}
	for path, b := range map[string][]byte{p.CertFile: certPEM, p.KeyFile: keyPEM} {
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p.Pool.AddCert(cert)
	sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	p.SPKI = base64.StdEncoding.EncodeToString(sum[:])
	return p
}
