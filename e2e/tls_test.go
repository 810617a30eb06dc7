package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/heraldhq/herald/app/events"
)

// testCert writes a self-signed certificate for localhost and 127.0.0.1, and
// its key, into dir. It returns their paths, a pool that trusts the
// certificate, and the hash of its public key as Chromium's
// --ignore-certificate-errors-spki-list takes it.
func testCert(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool, spki string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	for path, block := range map[string]*pem.Block{certFile: {Type: "CERTIFICATE", Bytes: der}, keyFile: {Type: "PRIVATE KEY", Bytes: keyDER}} {
		if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	return certFile, keyFile, pool, base64.StdEncoding.EncodeToString(sum[:])
}

// Over TLS the site speaks HTTP/2, so one page holds more streams than the
// six connections per host that a browser allows under HTTP/1.1.
func TestAPageHoldsMoreThanSixStreamsOverHTTP2(t *testing.T) {
	certFile, keyFile, pool, spki := testCert(t, t.TempDir())
	in := startHerald(t, "-tls-cert", certFile, "-tls-key", keyFile, "-demo=false")
	if !strings.HasPrefix(in.URL, "https://") {
		t.Fatalf("herald listens on %s, want https", in.URL)
	}
	site := "https://localhost:" + portOf(t, in.URL)
	ctx := newBrowser(t, chromedp.Flag("ignore-certificate-errors-spki-list", spki))

	openPage(t, ctx, site+"/healthz")
	if proto := evalJS[string](t, ctx, `performance.getEntriesByType("navigation")[0].nextHopProtocol`); proto != "h2" {
		t.Errorf("the page came over %q, want h2", proto)
	}
	const n = 10
	evalJS[bool](t, ctx, fmt.Sprintf(`for (let i = 0; i < %d; i++) watch("s" + i, %q, false); true`, n, "/events?topic="+events.PublicTopic))
	allOpen := fmt.Sprintf(`Array.from({length: %d}, (_, i) => window["s" + i]).every(s => s.opened)`, n)
	waitJS(t, ctx, allOpen, 10*time.Second)

	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	req, _ := http.NewRequest("POST", in.URL+"/publish", strings.NewReader(note(events.PublicTopic, "to every stream")))
	req.Header.Set("Authorization", "Bearer "+in.Token)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("publish: %d %s", resp.StatusCode, body)
	}
	allGot := fmt.Sprintf(`Array.from({length: %d}, (_, i) => window["s" + i]).every(s => s.messages.includes("to every stream"))`, n)
	waitJS(t, ctx, allGot, 10*time.Second)
}
