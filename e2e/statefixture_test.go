package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/shared"
)

// stateFixture is a hand-written #herald-state element for a visitor who is
// not signed in: the public topics' stream (the URL the app opens), from id
// "" (an empty history), with no state. It stands in, in the tests of the
// early stream, for the element the server will prerender.
func stateFixture(t *testing.T) string {
	t.Helper()
	types := []string{shared.GapEvent.Name()}
	for _, typ := range events.Schema.Types() {
		types = append(types, typ.Name())
	}
	b, err := json.Marshal(map[string]any{
		"url":   "/events?" + url.Values{"topic": events.PublicTopics()}.Encode(),
		"id":    "",
		"types": types,
		"state": map[string]any{},
	})
	if err != nil {
		t.Fatal(err)
	}
	return `<script type="application/json" id="herald-state">` + string(b) + `</script>`
}

// newStateProxy returns the URL of a proxy to in that adds element at the
// end of the body of every HTML page it passes on.
func newStateProxy(t *testing.T, in *instance, element string) string {
	t.Helper()
	target, err := url.Parse(in.URL)
	if err != nil {
		t.Fatal(err)
	}
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Header.Del("Accept-Encoding") // pages to rewrite come plain
		},
		ModifyResponse: func(resp *http.Response) error {
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				return nil
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				return err
			}
			body = bytes.Replace(body, []byte("</body>"), []byte(element+"</body>"), 1)
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
			return nil
		},
	}
	ts := httptest.NewServer(rp)
	t.Cleanup(func() {
		ts.CloseClientConnections()
		ts.Close()
	})
	return ts.URL
}
