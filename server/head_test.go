package server_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/heraldhq/herald/server"
)

// HEAD /events answers the header of a stream and ends at once, on a socket
// the client keeps open: no stream stays open and no place is taken under
// the connection limits.
func TestHeadEventsAnswersTheHeaderWithoutOpeningAStream(t *testing.T) {
	srv, ts := newTestServer(t, server.Config{MaxConnsPerClient: 1})
	conn, err := net.DialTimeout("tcp", ts.Listener.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "HEAD /events?topic=public HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: http.MethodHead})
	if err != nil {
		t.Fatalf("reading the answer to HEAD /events: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Errorf("HEAD /events: %d %q, want 200 text/event-stream", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	if n := srv.Stats().Streams; n != 0 {
		t.Errorf("after HEAD /events on a socket kept open, %d streams are open, want 0", n)
	}
	s := openStream(t, ts, "/events?topic=public", nil) // the only place of this client
	s.start()
	if n := srv.Stats().Streams; n != 1 {
		t.Errorf("after a GET, %d streams are open, want 1", n)
	}
}

// HEAD /events is refused as its GET would be.
func TestHeadEventsIsRefusedAsItsGetWouldBe(t *testing.T) {
	_, ts := newTestServer(t, server.Config{Authorizer: testPolicy{}})
	tests := []struct {
		name, path string
		status     int
	}{
		{"no topic", "/events", http.StatusBadRequest},
		{"a private topic, signed out", "/events?topic=user/bob", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Head(ts.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("HEAD %s: %d, want %d", tt.path, resp.StatusCode, tt.status)
			}
		})
	}
}
