//go:build !(js && wasm)

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
)

// TestPublishThenTailAgainstHerald publishes two events to Herald's own
// server and tails the stream from the first, which must replay the second,
// long and whole: tail asks for the stream gzipped and reads it.
func TestPublishThenTailAgainstHerald(t *testing.T) {
	srv, err := server.New(server.Config{Schema: events.Schema, PublishToken: "secret", Retry: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	srv.Mount(mux)
	hs := httptest.NewServer(mux)
	defer hs.Close()
	defer srv.Drain()

	second := strings.Repeat("the same words again and again ", 60)
	var ids []string
	for _, msg := range []string{"first", second} {
		code, stdout, stderr := run(t, publishCmd, "--url", hs.URL, "--token", "secret", "--topic", events.PublicTopic,
			"--type", "notification", "--data", `{"user":"ana","message":"`+msg+`"}`)
		if code != 0 {
			t.Fatalf("publish %.20s: exit %d, stderr:\n%s", msg, code, stderr)
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
	if code := <-done; code != 0 {
		t.Errorf("tail exit %d after its context ended, want 0", code)
	}
	var got rawEvent
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("tail printed %q: %v", out.String(), err)
	}
	n, err := events.Notify.Decode([]byte(got.Data))
	if got.ID != ids[1] || got.Event != "notification" || err != nil || n.Message != second {
		t.Errorf("tail printed %.200q (%v), want notification %s saying the second message", out.String(), err, ids[1])
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
