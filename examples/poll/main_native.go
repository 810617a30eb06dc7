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

	"github.com/heraldhq/herald/app/page"
	"github.com/heraldhq/herald/examples/poll/events"
	"github.com/heraldhq/herald/server"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// appWorkerJS is the page's service worker: it caches the page, but leaves
// the event stream, the votes and the tally to the network.
//
//go:embed app-worker.js
var appWorkerJS string

// run serves the poll on the app's own mux: Herald's API, the page and the
// votes, behind the app's logging middleware. At SIGINT or SIGTERM it ends
// the streams, then the server.
func run() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	srv, err := server.New(server.Config{Schema: events.Schema, Authorizer: Policy{}, Logger: slog.Default()})
	if err != nil {
		slog.Error("start herald", "err", err)
		os.Exit(1)
	}
	box := &ballotBox{srv: srv, tally: events.Tally{Votes: map[string]int{}}}
	mux := http.NewServeMux()
	srv.Mount(mux) // GET /events, POST /publish, /session, /healthz, /readyz
	mux.Handle("POST /vote", srv.Guard(box.vote))
	mux.HandleFunc("GET /tally", box.current)
	mux.Handle("/", page.Secure(&app.Handler{
		Name:                  "Poll",
		Title:                 events.Question,
		Icon:                  app.Icon{Default: "/web/icon.svg", SVG: "/web/icon.svg"},
		ServiceWorkerTemplate: appWorkerJS,
	}))
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		slog.Error("listen", "addr", *addr, "err", err)
		os.Exit(1)
	}
	// No WriteTimeout: it would cut the streams, which have their own.
	hs := &http.Server{Handler: logRequests(mux), ReadHeaderTimeout: 10 * time.Second}
	stopped, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Drain ends the streams, which Shutdown would wait for.
	context.AfterFunc(stopped, func() { srv.Drain(); hs.Shutdown(context.Background()) })
	slog.Info("poll listening", "url", "http://"+ln.Addr().String())
	slog.Info("poll stopped", "err", hs.Serve(ln))
}
