// Command r3labs is the benchmark's peer on github.com/r3labs/sse/v2: a
// Server whose streams are made as clients ask for them (AutoStream), without
// replay; an event to a topic nobody follows goes nowhere.
// Each published event is one event of type probe on its topic's stream.
package main

import (
	"net/http"

	sse "github.com/r3labs/sse/v2"

	"github.com/heraldhq/herald/bench/internal/peer"
)

func main() {
	events, publish := handlers()
	peer.Main("r3labs", events, publish)
}

// handlers returns the peer's stream handler and publish function.
func handlers() (http.Handler, func(peer.Event) error) {
	srv := sse.New()
	srv.AutoReplay = false
	srv.AutoStream = true
	events := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// r3labs names the stream with ?stream=.
		r.URL.RawQuery = "stream=" + r.URL.Query().Get("topic")
		srv.ServeHTTP(w, r)
	})
	probe := []byte("probe")
	return events, func(e peer.Event) error {
		srv.Publish(e.Topic, &sse.Event{Event: probe, Data: e.Data})
		return nil
	}
}
