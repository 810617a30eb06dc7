//go:build !(js && wasm)

package eventsource_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/app/eventsource"
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
	eventsource.On(src, events.Notify, func(n events.Notification) {
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
