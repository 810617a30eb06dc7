package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/server/security"
)

// request is one HTTP request of a test.
type request struct {
	method, path, body string
	header             http.Header
	cookie             *http.Cookie
}

// answer is a finished response: its status, headers and JSON error, if any.
type answer struct {
	status int
	header http.Header
	body   []byte
	err    string
}

// do sends req to ts with client (nil is http.DefaultClient) and reads the
// whole answer. It is for answers that end: not for a stream that opens.
func do(t *testing.T, client *http.Client, ts *httptest.Server, req request) answer {
	t.Helper()
	if client == nil {
		client = http.DefaultClient
	}
	var body io.Reader
	if req.body != "" {
		body = strings.NewReader(req.body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, req.method, ts.URL+req.path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range req.header {
		hr.Header[k] = v
	}
	if req.cookie != nil {
		hr.AddCookie(req.cookie)
	}
	resp, err := client.Do(hr)
	if err != nil {
		t.Fatalf("%s %s: %v", req.method, req.path, err)
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header}
	if resp.StatusCode == http.StatusOK && resp.Header.Get("Content-Type") == "text/event-stream" {
		return a // a stream that opened: its body never ends
	}
	a.body, err = io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read the answer: %v", req.method, req.path, err)
	}
	var e struct{ Error string }
	if json.Unmarshal(a.body, &e) == nil {
		a.err = e.Error
	}
	return a
}

// hdr makes a header from key, value pairs.
func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// signIn signs name in on ts and returns the session cookie.
func signIn(t *testing.T, ts *httptest.Server, name string) *http.Cookie {
	t.Helper()
	a := do(t, nil, ts, request{method: "POST", path: "/session", body: `{"name":"` + name + `"}`, header: hdr("Content-Type", "application/json")})
	if a.status != http.StatusOK {
		t.Fatalf("sign in %q: %d %s", name, a.status, a.body)
	}
	for _, c := range (&http.Response{Header: a.header}).Cookies() {
		if c.Name == security.SessionCookie {
			return c
		}
	}
	t.Fatalf("sign in %q: no %s cookie in %q", name, security.SessionCookie, a.header.Values("Set-Cookie"))
	return nil
}

// clientFrom returns an HTTP client whose connections come from the loopback
// address ip, such as "127.0.0.2", so a test can play several clients.
func clientFrom(t *testing.T, ip string) *http.Client {
	t.Helper()
	if ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0")); err != nil {
		t.Skipf("this machine has no loopback address %s to play another client: %v", ip, err)
	} else {
		ln.Close()
	}
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	tr := &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 100}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// openFrom opens a stream of path on ts with client and header, and returns
// the response, whatever its status. The stream closes at the end of the test
// or when close is called.
func openFrom(t *testing.T, client *http.Client, ts *httptest.Server, path string, header http.Header) (resp *http.Response, close func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp, func() { cancel(); resp.Body.Close() }
}
