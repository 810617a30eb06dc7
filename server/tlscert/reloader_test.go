package tlscert

import (
	"crypto/tls"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/internal/testcert"
	"github.com/heraldhq/herald/internal/testlog"
)

// newTestReloader returns the Reloader of certFile and keyFile that looks at
// the files at every handshake, logging to logs.
func newTestReloader(t *testing.T, certFile, keyFile string, logs io.Writer) *Reloader {
	t.Helper()
	r, err := NewReloader(certFile, keyFile, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	r.every = 0
	return r
}

func TestABrokenReplacementKeepsTheCertificateInServiceAndIsLoggedOnce(t *testing.T) {
	pair := testcert.Write(t, t.TempDir())
	certFile, keyFile, pool := pair.CertFile, pair.KeyFile, pair.Pool
	var logs testlog.Buffer
	addr := serveEcho(t, newTestReloader(t, certFile, keyFile, &logs))
	cert2, key2, renewed := testcert.New(t, 2)
	pool.AddCert(renewed)
	_, key3, _ := testcert.New(t, 3)

	steps := []struct {
		name       string
		cert, key  []byte // nil: left as it is
		wantSerial int64
		wantLog    []string
	}{
		{"an unparsable certificate", []byte("not a certificate"), nil, 1,
			[]string{"level=ERROR", "still serving the previous one", certFile, keyFile, "err="}},
		{"a key that does not match the certificate", cert2, key3, 1,
			[]string{"level=ERROR", "still serving the previous one", certFile, keyFile, "does not match"}},
		{"then a good pair", nil, key2, 2,
			[]string{"level=INFO", "tls certificate reloaded", certFile}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if s.cert != nil {
				writeFile(t, certFile, s.cert)
			}
			if s.key != nil {
				writeFile(t, keyFile, s.key)
			}
			before := len(logs.String())
			for range 3 {
				if got := servedSerial(t, addr, pool); got != s.wantSerial {
					t.Errorf("serial %d served, want %d", got, s.wantSerial)
				}
			}
			lines := strings.Split(strings.TrimSpace(logs.String()[before:]), "\n")
			if len(lines) != 1 {
				t.Fatalf("log lines %q, want one", lines)
			}
			for _, w := range s.wantLog {
				if !strings.Contains(lines[0], w) {
					t.Errorf("log line %q does not hold %q", lines[0], w)
				}
			}
		})
	}
}

func TestARenewedPairIsServedToNewHandshakesWhileOpenConnectionsGoOn(t *testing.T) {
	pair := testcert.Write(t, t.TempDir())
	certFile, keyFile, pool := pair.CertFile, pair.KeyFile, pair.Pool
	addr := serveEcho(t, newTestReloader(t, certFile, keyFile, io.Discard))
	open := dialTLS(t, addr, pool)
	certPEM, keyPEM, renewed := testcert.New(t, 2)
	pool.AddCert(renewed)
	writeFile(t, keyFile, keyPEM)
	writeFile(t, certFile, certPEM)

	if got := servedSerial(t, addr, pool); got != 2 {
		t.Errorf("serial %d served after the renewal, want 2", got)
	}
	if got := open.ConnectionState().PeerCertificates[0].SerialNumber.Int64(); got != 1 {
		t.Errorf("the open connection has serial %d, want 1", got)
	}
	open.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := open.Write([]byte("still here\n")); err != nil {
		t.Fatalf("write on the open connection after the renewal: %v", err)
	}
	got := make([]byte, len("still here\n"))
	if _, err := io.ReadFull(open, got); err != nil || string(got) != "still here\n" {
		t.Errorf("the open connection echoed %q, %v; want %q", got, err, "still here\n")
	}
}

func TestTheFilesAreLookedAtNoMoreOftenThanTheInterval(t *testing.T) {
	pair := testcert.Write(t, t.TempDir())
	certFile, keyFile, pool := pair.CertFile, pair.KeyFile, pair.Pool
	var logs testlog.Buffer
	r := newTestReloader(t, certFile, keyFile, &logs)
	r.mu.Lock()
	r.every = time.Hour
	r.mu.Unlock()
	addr := serveEcho(t, r)
	certPEM, keyPEM, renewed := testcert.New(t, 2)
	pool.AddCert(renewed)
	writeFile(t, keyFile, keyPEM)
	writeFile(t, certFile, certPEM)

	if got := servedSerial(t, addr, pool); got != 1 {
		t.Errorf("serial %d served within the interval, want 1", got)
	}
	if logs.String() != "" {
		t.Errorf("log %q within the interval, want none", logs.String())
	}
	r.mu.Lock()
	r.every = 0
	r.mu.Unlock()
	if got := servedSerial(t, addr, pool); got != 2 {
		t.Errorf("serial %d served once the interval passed, want 2", got)
	}
}

func TestAPairThatDoesNotLoadAtStartIsAnErrorNamingTheFiles(t *testing.T) {
	dir := t.TempDir()
	pair := testcert.Write(t, dir)
	goodCert, goodKey := pair.CertFile, pair.KeyFile
	bad := filepath.Join(dir, "bad.pem")
	if err := os.WriteFile(bad, []byte("not PEM"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.pem")
	cases := []struct {
		name, cert, key string
	}{
		{"a missing certificate", missing, goodKey},
		{"a missing key", goodCert, missing},
		{"an unparsable certificate", bad, goodKey},
		{"an unparsable key", goodCert, bad},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewReloader(c.cert, c.key, nil)
			if err == nil || r != nil {
				t.Fatalf("NewReloader = %v, %v; want an error", r, err)
			}
			if !strings.Contains(err.Error(), c.cert) || !strings.Contains(err.Error(), c.key) {
				t.Errorf("error %q does not name %s and %s", err, c.cert, c.key)
			}
		})
	}
}

func TestTheTLSConfigRefusesVersionsBeforeTLS12(t *testing.T) {
	pair := testcert.Write(t, t.TempDir())
	certFile, keyFile, pool := pair.CertFile, pair.KeyFile, pair.Pool
	addr := serveEcho(t, newTestReloader(t, certFile, keyFile, io.Discard))
	cases := []struct {
		name    string
		version uint16
		wantOK  bool
	}{
		{"TLS 1.1 is refused", tls.VersionTLS11, false},
		{"TLS 1.2 is served", tls.VersionTLS12, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr,
				&tls.Config{RootCAs: pool, ServerName: "localhost", MinVersion: c.version, MaxVersion: c.version})
			if err == nil {
				conn.Close()
			}
			if (err == nil) != c.wantOK {
				t.Errorf("handshake at version %#x: %v, want success %v", c.version, err, c.wantOK)
			}
		})
	}
}

func TestTLS12OffersNoCBCCipherSuite(t *testing.T) {
	pair := testcert.Write(t, t.TempDir())
	addr := serveEcho(t, newTestReloader(t, pair.CertFile, pair.KeyFile, io.Discard))
	cases := []struct {
		name   string
		suite  uint16
		wantOK bool
	}{
		{"AES-128-GCM is served", tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, true},
		{"ChaCha20-Poly1305 is served", tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, true},
		{"AES-128-CBC-SHA is refused", tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, false},
		{"AES-256-CBC-SHA is refused", tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr,
				&tls.Config{RootCAs: pair.Pool, ServerName: "localhost", MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{c.suite}})
			if err == nil {
				conn.Close()
			}
			if (err == nil) != c.wantOK {
				t.Errorf("TLS 1.2 handshake offering only %s: %v, want success %v", tls.CipherSuiteName(c.suite), err, c.wantOK)
			}
		})
	}
}
