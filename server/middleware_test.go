package server_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
)

// statusLogger is the ResponseWriter of a typical logging middleware: it
// embeds the ResponseWriter to record the status, and has neither Unwrap
// nor Flush.
type statusLogger struct {
	http.ResponseWriter
	status int
}

func (l *statusLogger) WriteHeader(status int) {
	l.status = status
	l.ResponseWriter.WriteHeader(status)
}

// logging wraps next in the middleware of statusLogger.
func logging(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&statusLogger{ResponseWriter: w}, r)
	})
}

// A stream behind a middleware whose ResponseWriter neither flushes nor
// unwraps stays open and gets each event as it is published.
func TestAStreamBehindAMiddlewareWithoutUnwrapGetsEveryEventLive(t *testing.T) {
	srv, err := server.New(server.Config{Schema: testSchema(), PublishToken: token})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	srv.Mount(mux)
	ts := httptest.NewServer(logging(mux))
	t.Cleanup(func() { srv.Drain(); ts.Close() })

	s := openStream(t, ts, "/events?topic=public", nil)
	s.start()
	for i, msg := range []string{"one", "two", "three"} {
		if status, out := publish(t, ts, notification("public", msg)); status != http.StatusOK {
			t.Fatalf("publish %d: %d %v", i, status, out)
		}
		got := s.next()
		if len(got) != 3 || !strings.Contains(got[2], `"message":"`+msg+`"`) {
			t.Fatalf("event %d = %q, want the notification %q", i, got, msg)
		}
	}
	if st := srv.Stats(); st.Streams != 1 || st.Closed.ClientGone != 0 {
		t.Errorf("streams open %d, closed as gone %d; want 1 and 0", st.Streams, st.Closed.ClientGone)
	}
}

// Behind the same middleware over HTTP/2, where the stream never leaves the
// handler, events arrive live too.
func TestAStreamBehindAMiddlewareWithoutUnwrapOverHTTP2(t *testing.T) {
	srv, err := server.New(server.Config{Schema: testSchema(), PublishToken: token})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(logging(srv.Handler()))
	ts.EnableHTTP2 = true
	ts.StartTLS()
	t.Cleanup(func() { srv.Drain(); ts.Close() })

	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/events?topic=public", nil)
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.ProtoMajor != 2 || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /events: %s %d, want HTTP/2 and 200", resp.Proto, resp.StatusCode)
	}
	s := &stream{t: t, resp: resp, r: bufio.NewReader(resp.Body)}
	s.start()
	if _, err := server.Publish(srv, "public", events.Notify, events.Notification{User: "ann", Message: "over h2"}); err != nil {
		t.Fatal(err)
	}
	if got := s.next(); len(got) != 3 || !strings.Contains(got[2], "over h2") {
		t.Fatalf("event = %q, want the notification", got)
	}
}
