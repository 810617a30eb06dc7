// Package peer is what the benchmark's peer programs share: their flags, a
// listener on loopback only, and POST /publish as Herald takes it, so that
// one load generator (herald load's engine) drives them all.
//
// Every peer serves
//
//	GET  /events?topic=T   an event stream of topic T, its header sent once the subscription is live
//	POST /publish          one event {"topic": T, "type": "probe", "data": {…}}, or an array of them,
//	                       with Authorization: Bearer <token>; each event's data is sent as is,
//	                       in the order given, as the data of one event of topic T
package peer

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
)

// Event is one event of a publish request.
type Event struct {
	Topic string          `json:"topic"`
	Type  string          `json:"type"`
	Data  json.RawMessage `json:"data"`
}

// maxBody is the largest publish body a peer reads.
const maxBody = 64 << 20

// Main parses -addr and -token, serves events at GET /events and the publish
// endpoint at POST /publish, and returns when the server fails. publish is
// called for each event in order, from the request's goroutine.
func Main(name string, events http.Handler, publish func(Event) error) {
	addr := flag.String("addr", "127.0.0.1:18080", "the loopback address to listen on")
	token := flag.String("token", os.Getenv("HERALD_PUBLISH_TOKEN"), "the bearer token of POST /publish; the default is $HERALD_PUBLISH_TOKEN")
	flag.Parse()
	ln, err := listenLoopback(*addr)
	if err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	log.Printf("%s: listening on %s", name, ln.Addr())
	log.Fatalf("%s: %v", name, http.Serve(ln, Mux(*token, events, publish)))
}

// Mux returns the peer's API: events at GET /events, and the publish
// endpoint, with token, at POST /publish.
func Mux(token string, events http.Handler, publish func(Event) error) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /events", events)
	mux.Handle("POST /publish", Publisher(token, publish))
	return mux
}

// listenLoopback listens on addr, which must be a loopback address.
func listenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("-addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("-addr %q is not a loopback address: the benchmark stays on this machine", addr)
	}
	return net.Listen("tcp", addr)
}

// Publisher returns the handler of POST /publish: it checks the bearer
// token, decodes one event or an array, and calls publish for each.
func Publisher(token string, publish func(Event) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token != "" && r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, `{"error":"Authorization is not Bearer <publish token>"}`, http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			http.Error(w, fmt.Sprintf(`{"error":%q}`, err), http.StatusBadRequest)
			return
		}
		events, err := Decode(body)
		if err != nil {
			http.Error(w, fmt.Sprintf(`{"error":%q}`, err), http.StatusBadRequest)
			return
		}
		for _, e := range events {
			if err := publish(e); err != nil {
				http.Error(w, fmt.Sprintf(`{"error":%q}`, err), http.StatusServiceUnavailable)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"published":%d}`+"\n", len(events))
	})
}

// Decode reads a publish body: one event, or an array of them.
func Decode(body []byte) ([]Event, error) {
	body = bytes.TrimSpace(body)
	var events []Event
	var err error
	if bytes.HasPrefix(body, []byte("[")) {
		err = json.Unmarshal(body, &events)
	} else {
		events = make([]Event, 1)
		err = json.Unmarshal(body, &events[0])
	}
	if err != nil {
		return nil, fmt.Errorf("publish body: %w", err)
	}
	for i, e := range events {
		if e.Topic == "" || len(e.Data) == 0 || strings.ContainsAny(e.Topic, "\r\n") {
			return nil, fmt.Errorf("publish body: event %d has no topic or no data", i)
		}
	}
	if len(events) == 0 {
		return nil, errors.New("publish body: no event")
	}
	return events, nil
}
