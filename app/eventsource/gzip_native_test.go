//go:build !(js && wasm)

package eventsource

import (
	"compress/gzip"
	"net/http"
	"testing"
)

// gzipStream answers 200 with the headers of a gzipped event stream at once,
// with none of its bytes (the gzip header comes with the first event), sends
// each of events with a sync flush once next lets it, as a Herald server
// ends each event, and ends the gzip stream cleanly.
func gzipStream(next chan struct{}, events ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		gz := gzip.NewWriter(w)
		for _, e := range events {
			select {
			case <-next:
			case <-r.Context().Done():
				return
			}
			_, _ = gz.Write([]byte(e))
			_ = gz.Flush()
			w.(http.Flusher).Flush()
		}
		_ = gz.Close()
	}
}

func TestSourceReadsAGzipStreamEventByEvent(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
	}{
		{"with the default client", nil},
		{"with a client whose transport does not decompress", []Option{WithHTTPClient(&http.Client{Transport: &http.Transport{DisableCompression: true}})}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			next := make(chan struct{}, 1)
			srv := newScripted(t, gzipStream(next, "retry: 60000\n\n", frames(1, 1), frames(2, 2)), func(w http.ResponseWriter, r *http.Request) { hold(r) })
			_, j := watch(t, srv.URL, tc.opts...)
			j.expect(t, "open") // before any byte of the body: the gzip header is read with the first event
			next <- struct{}{}
			if got := srv.nextRequest(t).Header.Get("Accept-Encoding"); got != "gzip" {
				t.Errorf("Accept-Encoding = %q, want gzip", got)
			}
			// Each event must come before the next is sent: nothing waits
			// in the decompressor for more input.
			next <- struct{}{}
			j.expect(t, "event 1 notification")
			next <- struct{}{}
			j.expect(t, "event 2 notification")
			j.expect(t, "error: ") // the server ended the stream, its gzip trailer read
		})
	}
}
