//go:build !(js && wasm)

package eventsource_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/heraldhq/herald/app/eventsource"
	"github.com/heraldhq/herald/shared"
	"github.com/heraldhq/herald/shared/sse"
)

func ExampleNew() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "id: 1\nevent: notification\ndata: {\"user\":\"ana\",\"message\":\"hello\"}\n\n")
	}))
	defer srv.Close()

	// New, then the listeners, then Start: no event can come before them.
	src, err := eventsource.New(srv.URL + "/events?topic=public")
	if err != nil {
		fmt.Println(err)
		return
	}
	eventsource.On(src, shared.Notify, func(n shared.Notification) {
		fmt.Println(n.User, "says", n.Message)
		src.Close()
	})
	src.Start()
	<-src.Done()
	fmt.Println("last event ID:", src.LastEventID())
	// Output:
	// ana says hello
	// last event ID: 1
}

func ExampleSource_OnAny() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "id: 1\ndata: plain\n\nid: 2\nevent: herald.log\ndata: {}\n\n")
	}))
	defer srv.Close()

	src, err := eventsource.New(srv.URL + "/events?topic=logs")
	if err != nil {
		fmt.Println(err)
		return
	}
	seen := 0
	src.OnAny(func(e sse.Event) {
		fmt.Println(e.ID, e.Type, e.Data)
		if seen++; seen == 2 {
			src.Close()
		}
	})
	src.Start()
	<-src.Done()
	// Output:
	// 1 message plain
	// 2 herald.log {}
}
