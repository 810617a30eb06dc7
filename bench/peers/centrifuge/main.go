// Command centrifuge is the benchmark's peer on
// github.com/centrifugal/centrifuge: a Node with its in-memory broker, each
// stream a client subscribed on the server's side to the channel named by
// its topic, and each published event a Node.Publish to that channel, in the
// order of the request. The library's own SSE handler is the SSE half of its
// bidirectional emulation; this peer has a unidirectional transport of its
// own (transport.go), so that its streams carry the publications alone:
// data: {"channel":"…","pub":{"data":{…}}}.
package main

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/centrifugal/centrifuge"

	"github.com/heraldhq/herald/bench/internal/peer"
)

func main() {
	events, publish, err := handlers()
	if err != nil {
		log.Fatal(err)
	}
	peer.Main("centrifuge", events, publish)
}

// handlers starts a Node and returns the peer's stream handler and publish
// function on it.
func handlers() (http.Handler, func(peer.Event) error, error) {
	node, err := centrifuge.New(centrifuge.Config{LogLevel: centrifuge.LogLevelError,
		LogHandler: func(e centrifuge.LogEntry) { log.Printf("centrifuge: %s %v", e.Message, e.Fields) }})
	if err != nil {
		return nil, nil, fmt.Errorf("make the node: %w", err)
	}
	node.OnConnecting(func(_ context.Context, e centrifuge.ConnectEvent) (centrifuge.ConnectReply, error) {
		t, _ := e.Transport.(*sseTransport)
		subs := map[string]centrifuge.SubscribeOptions{}
		if t != nil {
			subs[t.topic] = centrifuge.SubscribeOptions{}
		}
		return centrifuge.ConnectReply{Credentials: &centrifuge.Credentials{}, Subscriptions: subs}, nil
	})
	node.OnConnect(func(*centrifuge.Client) {})
	if err := node.Run(); err != nil {
		return nil, nil, fmt.Errorf("run the node: %w", err)
	}
	return streams(node), func(e peer.Event) error {
		_, err := node.Publish(e.Topic, e.Data)
		return err
	}, nil
}

// streams is the handler of GET /events?topic=T: a client of node on an
// sseTransport, subscribed to T before the response header goes out.
func streams(node *centrifuge.Node) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		topic := r.URL.Query().Get("topic")
		if topic == "" {
			http.Error(w, "no topic", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		t := newTransport(w, topic)
		defer t.finish()
		c, closeFn, err := centrifuge.NewClient(r.Context(), node, t)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer func() { _ = closeFn() }()
		t.mu.Lock()
		w.WriteHeader(http.StatusOK) // before Connect, whose pushes may write at once
		t.mu.Unlock()
		c.Connect(centrifuge.ConnectRequest{})
		t.mu.Lock()
		_ = t.rc.Flush() // the subscription is live: the header tells the client
		t.mu.Unlock()
		select {
		case <-r.Context().Done():
		case <-t.done:
		}
	})
}
