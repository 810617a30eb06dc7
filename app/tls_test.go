//go:build !(js && wasm)

package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/internal/testcert"
)

// writeFile writes data to path, as certbot does: into a new file renamed
// over the old one.
func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	tmp := path + ".new"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

var listeningURL = regexp.MustCompile(`url=(https?://\S+)`)

// startServe runs the server in this process with args and returns the URL
// it listens on. It stops at the end of the test.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	args = append([]string{"-addr", "127.0.0.1:0", "-web-dir", dir, "-demo=false",
		"-cookie-key-file", filepath.Join(dir, "keys"), "-publish-token", "tls-token"}, args...)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- serve(ctx, args, pw); pw.Close() }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := listeningURL.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case urlc <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case u := <-urlc:
		return u
	case err := <-done:
		t.Fatalf("serve ended before listening: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not report its address within 10s")
	}
	return ""
}

func TestTLSServesHTTP2WithHSTSAndSecureCookies(t *testing.T) {
	pair := testcert.Write(t, t.TempDir())
	certFile, keyFile, pool := pair.CertFile, pair.KeyFile, pair.Pool
	base := startServe(t, "-tls-cert", certFile, "-tls-key", keyFile, "-name-sign-in", "-allowed-hosts", "herald.test,localhost,127.0.0.1")
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("the server listens on %s, want https", base)
	}
	addr := strings.TrimPrefix(base, "https://")
	_, port, _ := net.SplitHostPort(addr)
	tr := &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: pool},
		ForceAttemptHTTP2: true,
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr) // herald.test is this server
		},
	}
	t.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}

	named := "https://herald.test:" + port
	cases := []struct {
		name, url, wantHSTS string
	}{
		{"a named host gets HSTS", named + "/healthz", "max-age=31536000"},
		{"an IP address gets none: browsers ignore it there", base + "/healthz", ""},
		{"localhost gets none: it would pin every local server to HTTPS", "https://localhost:" + port + "/healthz", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, err := client.Get(c.url)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.Proto != "HTTP/2.0" {
				t.Errorf("protocol %s, want HTTP/2.0", resp.Proto)
			}
			if got := resp.Header.Get("Strict-Transport-Security"); got != c.wantHSTS {
				t.Errorf("Strict-Transport-Security = %q, want %q", got, c.wantHSTS)
			}
		})
	}

	resp, err := client.Post(named+"/session", "application/json", strings.NewReader(`{"name":"alice"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookies := resp.Cookies()
	if resp.StatusCode != 200 || len(cookies) != 1 || !cookies[0].Secure || !cookies[0].HttpOnly {
		t.Errorf("sign-in over TLS: %d %q, want a Secure HttpOnly cookie", resp.StatusCode, resp.Header.Values("Set-Cookie"))
	}

	// Streams share one HTTP/2 connection and get their events.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var streams []*bufio.Reader
	for range 8 {
		req, _ := http.NewRequestWithContext(ctx, "GET", named+"/events?topic=public", nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 || resp.Proto != "HTTP/2.0" {
			t.Fatalf("stream: %d %s, want 200 over HTTP/2.0", resp.StatusCode, resp.Proto)
		}
		streams = append(streams, bufio.NewReader(resp.Body))
	}
	req, _ := http.NewRequest("POST", named+"/publish", strings.NewReader(`{"topic":"public","type":"notification","data":{"user":"ann","message":"over h2"}}`))
	req.Header.Set("Authorization", "Bearer tls-token")
	if resp, err := client.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("publish over HTTP/2: %v %v", resp, err)
	}
	for i, s := range streams {
		found := make(chan bool, 1)
		go func() {
			for {
				line, err := s.ReadString('\n')
				if err != nil {
					found <- false
					return
				}
				if strings.Contains(line, "over h2") {
					found <- true
					return
				}
			}
		}()
		select {
		case ok := <-found:
			if !ok {
				t.Errorf("stream %d ended before the event", i)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("stream %d: no event within 5s", i)
		}
	}
}

func TestABadCertificateIsAnErrorNamingTheFiles(t *testing.T) {
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(cert, []byte("not a certificate"), 0o600)
	os.WriteFile(key, []byte("not a key"), 0o600)
	err := serve(context.Background(), []string{"-addr", "127.0.0.1:0", "-web-dir", dir, "-demo=false",
		"-cookie-key-file", filepath.Join(dir, "keys"), "-tls-cert", cert, "-tls-key", key}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), cert) || !strings.Contains(err.Error(), "-tls-cert") {
		t.Errorf("serve: %v, want an error naming -tls-cert %s", err, cert)
	}
}

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
	pair := testcert.Write(t, t.TempDir())
	certFile, keyFile, pool := pair.CertFile, pair.KeyFile, pair.Pool
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

	certPEM, keyPEM, renewed := testcert.New(t, 2)
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
