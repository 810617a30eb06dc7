//go:build !(js && wasm)

package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
)

// TestTailReadsHeraldsGzipStream tails Herald's own server, which sends the
// stream gzipped since tail asks for it, and prints the event replayed in
// it whole.
func TestTailReadsHeraldsGzipStream(t *testing.T) {
	srv, err := server.New(server.Config{Schema: events.Schema, PublishToken: "secret", Retry: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	srv.Mount(mux)
	hs := httptest.NewServer(mux)
	defer hs.Close()
	defer srv.Drain()

	long := strings.Repeat("the same words again and again ", 60)
	var ids []string
	for _, msg := range []string{"first", long} {
		code, stdout, stderr := run(t, publishCmd, "--url", hs.URL, "--token", "secret", "--topic", events.PublicTopic,
			"--type", "notification", "--data", `{"user":"ana","message":"`+msg+`"}`)
		if code != 0 {
			t.Fatalf("publish: exit %d, stderr:\n%s", code, stderr)
		}
		ids = append(ids, strings.TrimSpace(stdout))
	}

	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	out := &notifyingBuffer{wrote: make(chan struct{}, 1)}
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- Tail(ctx, []string{hs.URL, "--topic", events.PublicTopic, "--last-event-id", ids[0], "--raw"}, out, &stderr)
	}()
	select {
	case <-out.wrote:
	case code := <-done:
		t.Fatalf("tail ended with %d before any event; stderr:\n%s", code, stderr.String())
	case <-ctx.Done():
		t.Fatal("tail printed nothing")
	}
	cancel()
	<-done
	if !strings.Contains(out.String(), ids[1]) || !strings.Contains(out.String(), long) {
		t.Errorf("tail printed %.200q, want event %s whole", out.String(), ids[1])
	}
	// The server counts a write once it returns, which may be after tail
	// printed what it wrote.
	st := srv.Stats()
	for deadline := time.Now().Add(wait); st.BytesUncompressed == 0 && time.Now().Before(deadline); st = srv.Stats() {
		time.Sleep(10 * time.Millisecond)
	}
	if st.BytesWritten >= st.BytesUncompressed {
		t.Errorf("the server wrote %d bytes for %d uncompressed: the stream was not gzipped", st.BytesWritten, st.BytesUncompressed)
	}
}
