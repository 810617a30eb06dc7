package e2e

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/internal/testcert"
)

// Over TLS the site speaks HTTP/2, so one page holds more streams than the
// six connections per host that a browser allows under HTTP/1.1.
func TestAPageHoldsMoreThanSixStreamsOverHTTP2(t *testing.T) {
	pair := testcert.Write(t, t.TempDir())
	certFile, keyFile, pool, spki := pair.CertFile, pair.KeyFile, pair.Pool, pair.SPKI
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
