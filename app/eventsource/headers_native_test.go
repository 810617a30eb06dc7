//go:build !(js && wasm)

package eventsource

import (
	"net/http"
	"testing"
)

func TestSourceSendsTheHeadersOfABrowsersEventSource(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		want map[string]string // "" for a header that must be absent
	}{
		{
			name: "by default the request asks for an event stream and no cached copy, as a browser's does",
			want: map[string]string{"Accept": "text/event-stream", "Cache-Control": "no-cache", "Pragma": "", "Last-Event-Id": "", "Accept-Encoding": "gzip"},
		},
		{
			name: "WithHeader replaces Accept-Encoding",
			opts: []Option{WithHeader("Accept-Encoding", "identity")},
			want: map[string]string{"Accept-Encoding": "identity"},
		},
		{
			name: "WithHeader replaces Cache-Control and adds Pragma",
			opts: []Option{WithHeader("Cache-Control", "no-store"), WithHeader("Pragma", "no-cache")},
			want: map[string]string{"Cache-Control": "no-store", "Pragma": "no-cache"},
		},
		{
			name: "Accept and Last-Event-ID stay the Source's own",
			opts: []Option{WithHeader("Accept", "text/html"), WithHeader("Last-Event-ID", "99"), WithLastEventID("7")},
			want: map[string]string{"Accept": "text/event-stream", "Last-Event-Id": "7", "Cache-Control": "no-cache"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) {
				startStream(w, "")
				hold(r)
			})
			watch(t, srv.URL, tc.opts...)
			req := srv.nextRequest(t)
			for k, want := range tc.want {
				got, ok := req.Header[k]
				switch {
				case want == "" && ok:
					t.Errorf("%s: %q, want none", k, got)
				case want != "" && (len(got) != 1 || got[0] != want):
					t.Errorf("%s: %q, want just %q", k, got, want)
				}
			}
		})
	}
}
