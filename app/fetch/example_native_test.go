//go:build !(js && wasm)

package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/heraldhq/herald/app/fetch"
)

func ExampleJSON() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /session", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"name": "ann"}`)
	})
	mux.HandleFunc("POST /publish", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"error": "ann may not publish to metrics"}`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	// In the browser the URLs would be "/session" and "/publish", and the
	// call would run in ctx.Async of a go-app component.
	ctx := context.Background()
	var session struct {
		Name string `json:"name"`
	}
	if err := fetch.JSON(ctx, "POST", srv.URL+"/session", map[string]string{"name": "ann"}, &session); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("signed in as", session.Name)

	event := map[string]any{"topic": "metrics", "type": "metric", "data": map[string]any{"name": "load", "value": 1}}
	var refused *fetch.Error
	if err := fetch.JSON(ctx, "POST", srv.URL+"/publish", event, nil); errors.As(err, &refused) {
		fmt.Println(refused.Status, refused.Message)
	}
	// Output:
	// signed in as ann
	// 403 ann may not publish to metrics
}
