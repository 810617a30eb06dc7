//go:build !(js && wasm)

package eventsource_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/app/eventsource"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/shared"
)

// lastLines is a fold: the text of the last two log lines.
var lastLines = shared.MustFold(func() shared.Last[string] { return shared.NewLast[string](2) },
	shared.On(events.LogEvent, func(s shared.Last[string], l events.LogLine) shared.Last[string] {
		return s.Add(l.Text)
	}),
)

func ExampleFetchState() {
	srv, _ := server.New(server.Config{Schema: events.Schema})
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	defer srv.Drain()
	for _, text := range []string{"one", "two", "three"} {
		server.Publish(srv, events.LogsTopic, events.LogEvent, events.LogLine{Level: "info", Text: text})
	}

	// The state at an id, then the stream from that id: nothing lost, nothing twice.
	url := ts.URL + "/events?topic=logs"
	state, id, err := eventsource.FetchState(context.Background(), url, lastLines)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("state:", state.Items)
	src, err := eventsource.New(url, eventsource.WithLastEventID(id))
	if err != nil {
		fmt.Println(err)
		return
	}
	eventsource.OnFold(src, lastLines, func(change func(shared.Last[string]) shared.Last[string]) {
		state = change(state)
		fmt.Println("state:", state.Items)
		src.Close()
	})
	src.Start()
	server.Publish(srv, events.LogsTopic, events.LogEvent, events.LogLine{Level: "info", Text: "four"})
	<-src.Done()
	// Output:
	// state: [two three]
	// state: [three four]
}
