package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/engine"
)

// A publish refused because the broker cannot be reached counts as
// unavailable, not as a connection limit.
func TestABrokerOutageIsCountedAsUnavailable(t *testing.T) {
	b := &storeBroker{}
	srv, ts := newTestServer(t, server.Config{Broker: b})
	b.mu.Lock()
	b.publishErr = fmt.Errorf("no route to the broker: %w", engine.ErrUnavailable)
	b.mu.Unlock()
	if status, out := publish(t, ts, notification("public", "hi")); status != http.StatusServiceUnavailable {
		t.Fatalf("publish during the outage: %d %v, want 503", status, out)
	}
	r := srv.Stats().Refused
	if r.Unavailable != 1 || r.Limit != 0 || r.Draining != 0 {
		t.Errorf("refused %+v, want one unavailable and nothing else", r)
	}
}

// Streams and publishes refused while the server drains count as draining.
func TestRequestsWhileDrainingAreCountedAsDraining(t *testing.T) {
	srv, ts := newTestServer(t, server.Config{})
	srv.Drain()
	if status, out := publish(t, ts, notification("public", "hi")); status != http.StatusServiceUnavailable {
		t.Fatalf("publish while draining: %d %v, want 503", status, out)
	}
	a := do(t, nil, ts, request{method: "GET", path: "/events?topic=public"})
	if a.status != http.StatusServiceUnavailable || a.header.Get("Retry-After") == "" {
		t.Fatalf("stream while draining: %d, Retry-After %q; want 503 with Retry-After", a.status, a.header.Get("Retry-After"))
	}
	r := srv.Stats().Refused
	if r.Draining != 2 || r.Limit != 0 || r.Unavailable != 0 {
		t.Errorf("refused %+v, want two draining and nothing else", r)
	}
}

// A long Last-Event-ID is no refusal: it comes back in a herald.gap, cut (see
// TestAnIDTheServerCannotReadStartsTheStreamWithAGap).
func TestARefusalEchoesOnlyAShortPrefixOfTheInput(t *testing.T) {
	_, ts := newTestServer(t, server.Config{})
	long := strings.Repeat("A", 100_000)
	cases := []struct {
		name string
		req  request
	}{
		{"a long topic", request{method: "GET", path: "/events?topic=" + long}},
		{"a long private topic", request{method: "GET", path: "/events?topic=user/" + long}},
		{"a long event type", request{method: "POST", path: "/publish", body: `{"topic":"public","type":"` + long + `","data":{}}`, header: hdr("Authorization", "Bearer "+token)}},
		{"a long sign-in name", request{method: "POST", path: "/session", body: `{"name":"` + long[:900] + `"}`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := do(t, nil, ts, c.req)
			if a.status < 400 || a.err == "" {
				t.Fatalf("got %d %q, want a JSON refusal", a.status, a.body)
			}
			if n := strings.Count(string(a.body), "A"); n > 300 {
				t.Errorf("the refusal echoes %d bytes of the input, want at most 300: %.120s", n, a.body)
			}
		})
	}
}
