//go:build !(js && wasm)

package main

import (
	"context"
	_ "embed"
	"flag"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/heraldhq/herald/examples/poll/events"
	"github.com/heraldhq/herald/server"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// appWorkerJS is the page's service worker: it caches the page, but leaves
// the event stream and the votes to the network.
//
//go:embed app-worker.js
var appWorkerJS string

// run serves the poll on the app's own mux: Herald's API, the page and the
// votes, behind the app's logging middleware. At SIGINT or SIGTERM it ends
// the streams, then the server.
func run() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	srv, err := server.New(server.Config{Schema: events.Schema, Authorizer: Policy{}, Logger: log})
	if err != nil {
		log.Error("start herald", "err", err)
		os.Exit(1)
	}
	box := newBallotBox(srv)
	mux := http.NewServeMux()
	srv.Mount(mux) // GET /events, POST /publish, /session, /healthz, /readyz
	mux.Handle("POST /vote", http.NewCrossOriginProtection().Handler(http.HandlerFunc(box.vote)))
	mux.HandleFunc("GET /tally", box.current)
	mux.Handle("/", &app.Handler{
		Name:                  "Poll",
		Title:                 events.Question,
		Icon:                  app.Icon{Default: "/web/icon.svg", SVG: "/web/icon.svg"},
		ServiceWorkerTemplate: appWorkerJS,
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Error("listen", "addr", *addr, "err", err)
		os.Exit(1)
	}
	// No WriteTimeout: it would cut the streams, which have their own.
	hs := &http.Server{Handler: logRequests(log, mux), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
		<-stop
		srv.Drain() // ends the streams, which Shutdown would wait for
		hs.Shutdown(context.Background())
	}()
	log.Info("poll listening", "url", "http://"+ln.Addr().String())
	log.Info("poll stopped", "err", hs.Serve(ln))
}
