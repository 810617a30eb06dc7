//go:build !(js && wasm)

package main

import (
	"log/slog"
	"net"
	"net/http"
	"testing"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
)

func TestTheMetricsListenerServesProfilesOnlyWithPprof(t *testing.T) {
	srv, err := server.New(server.Config{Schema: events.Schema})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Drain()
	for _, tt := range []struct {
		name    string
		pprof   bool
		profile int
	}{
		{"without -pprof, no profiles", false, http.StatusNotFound},
		{"with -pprof, the profiles", true, http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			c := config{pprof: tt.pprof}
			stop := c.serveMetrics(ln, srv, slog.New(slog.DiscardHandler))
			defer stop()
			base := "http://" + ln.Addr().String()
			for path, want := range map[string]int{"/metrics": http.StatusOK, "/debug/pprof/": tt.profile} {
				resp, err := http.Get(base + path)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != want {
					t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want)
				}
			}
		})
	}
}
