package server_test

import (
	"net/http"
	"testing"

	"github.com/heraldhq/herald/server"
)

func TestReadinessTurnsOffWhenDrainingWhileHealthStaysOn(t *testing.T) {
	srv, ts := newTestServer(t, server.Config{})
	status := func(path string) int {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if h, r := status("/healthz"), status("/readyz"); h != 200 || r != 200 {
		t.Fatalf("before draining: healthz %d, readyz %d; want 200, 200", h, r)
	}
	srv.Drain()
	if h, r := status("/healthz"), status("/readyz"); h != 200 || r != 503 {
		t.Errorf("draining: healthz %d, readyz %d; want 200, 503", h, r)
	}
}
