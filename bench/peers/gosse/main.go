// Command gosse is the benchmark's peer on github.com/tmaxmax/go-sse: an
// sse.Server with its default provider, Joe, keeping no history. Each
// published event is one message of type probe on its topic.
package main

import (
	"net/http"

	sse "github.com/tmaxmax/go-sse"

	"github.com/heraldhq/herald/bench/internal/peer"
)

// headerOnSubscribe is Joe's Replayer: it keeps nothing, and sends a new
// subscriber's response header, which go-sse otherwise holds back until the
// first event. Joe replays right before it adds the subscriber, in the
// goroutine that adds it, so the header tells the client that the next
// publish reaches it.
type headerOnSubscribe struct{}

// Put keeps nothing.
func (headerOnSubscribe) Put(m *sse.Message, _ []string) (*sse.Message, error) { return m, nil }

// Replay sends the header.
func (headerOnSubscribe) Replay(s sse.Subscription) error { return s.Client.Flush() }

func main() {
	events, publish := handlers()
	peer.Main("gosse", events, publish)
}

// handlers returns the peer's stream handler and publish function.
func handlers() (http.Handler, func(peer.Event) error) {
	srv := &sse.Server{
		Provider: &sse.Joe{Replayer: headerOnSubscribe{}},
		OnSession: func(_ http.ResponseWriter, r *http.Request) ([]string, bool) {
			return []string{r.URL.Query().Get("topic")}, true
		},
	}
	probe := sse.Type("probe")
	return srv, func(e peer.Event) error {
		m := &sse.Message{Type: probe}
		m.AppendData(string(e.Data))
		return srv.Publish(m, e.Topic)
	}
}
