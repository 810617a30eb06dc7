package metrics_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	demo "github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/metrics"
	"github.com/heraldhq/herald/server/security"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

const token = "metrics-token"

// A scrape during a run with subscribers, publishes, a slow consumer and a
// refused origin shows every counter moved as it should.
func TestMetricsFollowARun(t *testing.T) {
	srv, err := server.New(server.Config{
		Schema: demo.Schema, PublishToken: token,
		// The reading clients can never overflow their queues; the stuck one
		// is cut off when a write misses its deadline.
		QueueEvents: 1000, QueueBytes: 8 << 20, WriteTimeout: 200 * time.Millisecond,
		AllowedOrigins: []string{"http://allowed.example"},
	})
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Drain(); api.Close() })
	reg := prometheus.NewRegistry()
	reg.MustRegister(metrics.NewCollector(srv))
	scrape := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	t.Cleanup(scrape.Close)

	readers := []io.ReadCloser{openStream(t, api.URL+"/events?topic=public"), openStream(t, api.URL+"/events?topic=metrics&topic=public")}
	stuck := openStuck(t, api.URL+"/events?topic=public")
	defer stuck.Close()
	waitMetric(t, scrape.URL, `herald_streams{class="public"}`, 3)
	waitMetric(t, scrape.URL, `herald_streams{class="metrics"}`, 1)

	const events = 800
	for i := 0; i < events/100; i++ {
		publishBatch(t, api.URL, 100, 4096)
	}
	refuse(t, api.URL+"/events?topic=public", "http://evil.example")
	refuse(t, api.URL+"/events", "")

	waitMetric(t, scrape.URL, "herald_events_published_total", events)
	waitMetricAtLeast(t, scrape.URL, "herald_events_delivered_total", 2*events)
	waitMetricAtLeast(t, scrape.URL, "herald_written_uncompressed_bytes_total", 2*events*4096)
	written, _ := scrapeValue(t, scrape.URL, "herald_written_bytes_total")
	raw, _ := scrapeValue(t, scrape.URL, "herald_written_uncompressed_bytes_total")
	if written <= 0 || written >= raw { // the streams are gzipped: Go's client asks for it
		t.Errorf("herald_written_bytes_total = %v, want above 0 and below the %v uncompressed", written, raw)
	}
	waitMetricAtLeast(t, scrape.URL, "herald_publish_to_write_seconds_count", 1)
	waitMetricAtLeast(t, scrape.URL, `herald_streams_closed_total{reason="write_timeout"}`, 1)
	waitMetric(t, scrape.URL, "herald_streams_opened_total", 3)
	waitMetric(t, scrape.URL, `herald_requests_refused_total{reason="origin"}`, 1)
	waitMetric(t, scrape.URL, `herald_requests_refused_total{reason="bad_input"}`, 1)
	waitMetric(t, scrape.URL, "herald_history_events", events)
	for _, r := range readers {
		r.Close()
	}
	waitMetric(t, scrape.URL, `herald_streams{class="public"}`, 0)
}

// A stream ended by its session's sign-out is counted under its reason.
func TestMetricsCountStreamsClosedWithTheirSession(t *testing.T) {
	srv, err := server.New(server.Config{Schema: demo.Schema, Session: security.SessionConfig{NameSignIn: true}})
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Drain(); api.Close() })
	reg := prometheus.NewRegistry()
	reg.MustRegister(metrics.NewCollector(srv))
	scrape := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	t.Cleanup(scrape.Close)

	resp, err := http.Post(api.URL+"/session", "application/json", strings.NewReader(`{"name":"ann"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookies := resp.Cookies()
	if resp.StatusCode != 200 || len(cookies) != 1 {
		t.Fatalf("sign in: %d %q", resp.StatusCode, resp.Header.Values("Set-Cookie"))
	}
	openStream(t, api.URL+"/events?topic=user/ann", cookies[0])
	waitMetric(t, scrape.URL, `herald_streams{class="user"}`, 1)
	waitMetric(t, scrape.URL, `herald_streams_closed_total{reason="session_ended"}`, 0)
	req, _ := http.NewRequest("DELETE", api.URL+"/session", nil)
	req.AddCookie(cookies[0])
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("sign out: %v %v", resp, err)
	}
	waitMetric(t, scrape.URL, `herald_streams_closed_total{reason="session_ended"}`, 1)
	waitMetric(t, scrape.URL, `herald_streams{class="user"}`, 0)
}

func openStream(t *testing.T, url string, cookies ...*http.Cookie) io.ReadCloser {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	go io.Copy(io.Discard, resp.Body) // a client that keeps up
	return resp.Body
}

// openStuck opens a stream over a socket with a tiny receive buffer and never
// reads it.
func openStuck(t *testing.T, url string) net.Conn {
	t.Helper()
	host := strings.TrimPrefix(url, "http://")
	host, path, _ := strings.Cut(host, "/")
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) {
			_ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		})
	}}
	conn, err := d.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "GET /%s HTTP/1.1\r\nHost: %s\r\n\r\n", path, host)
	return conn
}

func publishBatch(t *testing.T, base string, n, size int) {
	t.Helper()
	var events []string
	for i := 0; i < n; i++ {
		events = append(events, fmt.Sprintf(`{"topic":"public","type":"log","data":{"at":%q,"level":"info","text":%q}}`,
			time.Now().Format(time.RFC3339Nano), strings.Repeat("x", size)))
	}
	req, _ := http.NewRequest("POST", base+"/publish", strings.NewReader("["+strings.Join(events, ",")+"]"))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("publish: %d", resp.StatusCode)
	}
}

// refuse sends a request that must be refused.
func refuse(t *testing.T, url, origin string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if origin != "" {
		req.Header.Set("Origin", origin)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 {
		t.Fatalf("GET %s from %q: %d, want a refusal", url, origin, resp.StatusCode)
	}
}

func waitMetric(t *testing.T, url, name string, want float64) {
	t.Helper()
	waitValue(t, url, name, func(v float64) bool { return v == want }, fmt.Sprint(want))
}

func waitMetricAtLeast(t *testing.T, url, name string, want float64) {
	t.Helper()
	waitValue(t, url, name, func(v float64) bool { return v >= want }, fmt.Sprint(">= ", want))
}

func waitValue(t *testing.T, url, name string, ok func(float64) bool, want string) {
	t.Helper()
	var last float64
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		v, found := scrapeValue(t, url, name)
		if found && ok(v) {
			return
		}
		last = v
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s = %v, want %s", name, last, want)
}

// scrapeValue scrapes url and returns the value of the series name, written
// as in the exposition format: metric{label="value"}.
func scrapeValue(t *testing.T, url, name string) (float64, bool) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("scrape is not the text format: %v", err)
	}
	family, label, _ := strings.Cut(name, "{")
	suffix := ""
	if base, ok := strings.CutSuffix(family, "_count"); ok && families[family] == nil {
		family, suffix = base, "_count"
	}
	f := families[family]
	if f == nil {
		return 0, false
	}
	for _, m := range f.Metric {
		if label != "" && !hasLabel(m, strings.TrimSuffix(label, "}")) {
			continue
		}
		switch {
		case suffix == "_count":
			return float64(m.GetHistogram().GetSampleCount()), true
		case m.Counter != nil:
			return m.GetCounter().GetValue(), true
		default:
			return m.GetGauge().GetValue(), true
		}
	}
	return 0, false
}

func hasLabel(m *dto.Metric, pair string) bool {
	k, v, _ := strings.Cut(pair, "=")
	for _, l := range m.Label {
		if l.GetName() == k && `"`+l.GetValue()+`"` == v {
			return true
		}
	}
	return false
}
