//go:build !(js && wasm)

package main

import (
	"context"
	_ "embed"
	"errors"
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

// run serves the poll until SIGINT or SIGTERM.
func run() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, *addr, log); err != nil {
		log.Error("poll stopped", "err", err)
		os.Exit(1)
	}
}

// serve builds the app's own mux, Herald's API and the page and the votes on
// it, behind the app's logging middleware, and serves it on addr until ctx
// ends.
func serve(ctx context.Context, addr string, log *slog.Logger) error {
	srv, err := server.New(server.Config{Schema: events.Schema, Authorizer: Policy{}, Logger: log})
	if err != nil {
		return err
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
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	log.Info("poll listening", "url", "http://"+ln.Addr().String())
	hs := &http.Server{Handler: logRequests(log, mux), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Drain() // ends the streams, which Shutdown would wait for
		_ = hs.Shutdown(context.Background())
	}()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
