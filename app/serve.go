//go:build !(js && wasm)

package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/shared"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// serve runs the server with the settings of args and the environment until
// ctx is done, then drains it.
func serve(ctx context.Context, args []string, stderr io.Writer) error {
	c, err := parseConfig(args, os.Getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	log := c.newLogger(stderr)
	srv, err := server.New(server.Config{
		Schema:        shared.Demo,
		PublishToken:  c.publishToken,
		Retry:         c.retry,
		Heartbeat:     c.heartbeat,
		WriteTimeout:  c.writeTimeout,
		MaxLifetime:   c.maxLifetime,
		QueueEvents:   c.queueEvents,
		QueueBytes:    c.queueBytes,
		HistoryEvents: c.historyEvents,
		HistoryBytes:  c.historyBytes,
		HistoryAge:    c.historyAge,
	})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	srv.Mount(mux)
	mux.Handle("/", frontEnd(c.webDir, log))

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listen on -addr %q: %w", c.addr, err)
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	if c.demo {
		go runDemo(ctx, srv, log)
	}
	log.Info("herald listening", "url", "http://"+ln.Addr().String(), "publish", c.publishToken != "")
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("herald draining", "timeout", c.shutdownTimeout)
	srv.Drain()
	sctx, cancel := context.WithTimeout(context.Background(), c.shutdownTimeout)
	defer cancel()
	return hs.Shutdown(sctx)
}

// frontEnd returns the handler of the PWA. Without a built front end the
// server still streams and publishes, and its pages say how to build it.
func frontEnd(webDir string, log *slog.Logger) http.Handler {
	pwa, err := newAppHandler(webDir)
	if err == nil {
		return pwa
	}
	log.Warn("serving the API only", "err", err)
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "the front end is not built: "+err.Error(), http.StatusServiceUnavailable)
	})
}

// newAppHandler returns the go-app handler that serves the PWA from webDir.
// Its version is the hash of app.wasm, so an unchanged build never makes
// clients download it again.
func newAppHandler(webDir string) (*app.Handler, error) {
	wasm := filepath.Join(webDir, "app.wasm")
	f, err := os.Open(wasm)
	if err != nil {
		return nil, fmt.Errorf("open the front end %s: %w (build it with: make wasm)", wasm, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", wasm, err)
	}
	return &app.Handler{
		Name:              "Herald",
		ShortName:         "Herald",
		Title:             "Herald — live events in Go",
		Description:       "Typed server-sent events from a Go server to a Go front end.",
		Icon:              app.Icon{Default: "/web/icon-192.png", Large: "/web/icon-512.png", SVG: "/web/icon.svg"},
		BackgroundColor:   "#0f172a",
		ThemeColor:        "#0f172a",
		Styles:            []string{"/web/app.css"},
		Resources:         newStaticDir(webDir),
		Version:           hex.EncodeToString(h.Sum(nil))[:16],
		WasmContentLength: strconv.FormatInt(n, 10),
	}, nil
}
