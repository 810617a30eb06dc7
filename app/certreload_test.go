//go:build !(js && wasm)

package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// servedSerial makes a new TLS handshake with addr, checking the certificate
// against pool, and returns the serial number of the certificate served.
func servedSerial(t *testing.T, addr string, pool *x509.CertPool) int64 {
	t.Helper()
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr,
		&tls.Config{RootCAs: pool, ServerName: "localhost"})
	if err != nil {
		t.Fatalf("handshake with %s: %v", addr, err)
	}
	defer conn.Close()
	return conn.ConnectionState().PeerCertificates[0].SerialNumber.Int64()
}

// readUntil reads r until a line holding want, or fails the test after a few
// seconds.
func readUntil(t *testing.T, r *bufio.Reader, want string) {
	t.Helper()
	found := make(chan error, 1)
	go func() {
		for {
			line, err := r.ReadString('\n')
			if err != nil || strings.Contains(line, want) {
				found <- err
				return
			}
		}
	}()
	select {
	case err := <-found:
		if err != nil {
			t.Errorf("stream ended before %q: %v", want, err)
		}
	case <-time.After(5 * time.Second):
		t.Errorf("no %q within 5s", want)
	}
}

func TestARenewedCertificateIsServedToNewHandshakesWhileStreamsGoOn(t *testing.T) {
	certFile, keyFile, pool := selfSignedCert(t, t.TempDir())
	base := startServe(t, "-tls-cert", certFile, "-tls-key", keyFile)
	addr := strings.TrimPrefix(base, "https://")
	if got := servedSerial(t, addr, pool); got != 1 {
		t.Fatalf("serial %d served at start, want 1", got)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}
	t.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/events?topic=public", nil)
	stream, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()

	certPEM, keyPEM, renewed := newSelfSigned(t, 2)
	pool.AddCert(renewed)
	writeFile(t, keyFile, keyPEM)
	writeFile(t, certFile, certPEM)
	deadline := time.Now().Add(10 * time.Second)
	for servedSerial(t, addr, pool) != 2 {
		if time.Now().After(deadline) {
			t.Fatal("10s after the files were replaced, new handshakes still get serial 1")
		}
		time.Sleep(100 * time.Millisecond)
	}

	pub, _ := http.NewRequest("POST", base+"/publish", strings.NewReader(`{"topic":"public","type":"notification","data":{"user":"ann","message":"after renewal"}}`))
	pub.Header.Set("Authorization", "Bearer tls-token")
	if resp, err := client.Do(pub); err != nil || resp.StatusCode != 200 {
		t.Fatalf("publish after the renewal: %v %v", resp, err)
	}
	readUntil(t, bufio.NewReader(stream.Body), "after renewal")
}

// lockedBuffer is a log's output that the test reads while handshakes write.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serveHandshakes accepts TLS connections on a loopback port with the
// certificates of certs, completes their handshake and closes them. It
// returns the address, and stops at the end of the test.
func serveHandshakes(t *testing.T, certs *certReloader) string {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{GetCertificate: certs.GetCertificate})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			_ = conn.(*tls.Conn).Handshake()
			conn.Close()
		}
	})
	return ln.Addr().String()
}

func TestABrokenReplacementKeepsTheCertificateInServiceAndIsLoggedOnce(t *testing.T) {
	certFile, keyFile, pool := selfSignedCert(t, t.TempDir())
	var logs lockedBuffer
	certs, err := newCertReloader(certFile, keyFile, 0, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	addr := serveHandshakes(t, certs)
	cert2, key2, renewed := newSelfSigned(t, 2)
	pool.AddCert(renewed)
	_, key3, _ := newSelfSigned(t, 3)

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
