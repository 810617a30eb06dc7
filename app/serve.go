//go:build !(js && wasm)

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/app/page"
	"github.com/heraldhq/herald/app/ui"
	"github.com/heraldhq/herald/server"
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
	report := c.newLogger(stderr) // to stderr only: the demo's own failures
	log, feed := c.demoLogger(report)
	cfg := server.Config{
		Schema:        events.Schema,
		PublishToken:  c.publishToken,
		Retry:         c.retry,
		Heartbeat:     c.heartbeat,
		WriteTimeout:  c.writeTimeout,
		MaxLifetime:   c.maxLifetime,
		NoGzip:        !c.gzip,
		QueueEvents:   c.queueEvents,
		QueueBytes:    c.queueBytes,
		HistoryEvents: c.historyEvents,
		HistoryBytes:  c.historyBytes,
		HistoryAge:    c.historyAge,

		UserPublishRate:   c.userPublishRate,
		UserPublishBurst:  c.userPublishBurst,
		TokenPublishRate:  c.tokenPublishRate,
		TokenPublishBurst: c.tokenPublishBurst,
		SignInRate:        c.signInRate,
		SignInBurst:       c.signInBurst,
	}
	if err := c.applySecurity(&cfg, log); err != nil {
		return err
	}
	if err := c.openBroker(ctx, &cfg, log); err != nil {
		return err
	}
	if err := openRevocations(ctx, &cfg, c.sessionMaxAge); err != nil {
		return err
	}
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	stopMetrics, err := c.startMetrics(srv, log)
	if err != nil {
		return err
	}
	defer stopMetrics()
	mux := http.NewServeMux()
	srv.Mount(mux)
	mux.Handle("POST /jobs", newJobRunner(ctx, srv, log, server.NewRateLimiter("job start", c.jobRate, c.jobBurst)).Handler())
	ui.PageHistory = srv.PublicHistory // the page is rendered with the state of its public topics
	mux.Handle("/", srv.CheckHost(page.Secure(freshPages(frontEnd(c.webDir, log)))))

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listen on -addr %q: %w", c.addr, err)
	}
	// No ReadTimeout or WriteTimeout: they would cut long-lived streams,
	// which have their own write deadlines.
	hs := &http.Server{Handler: withHSTS(mux, c.hstsMaxAge), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	if err := c.configureTLS(hs, log); err != nil {
		ln.Close()
		return err
	}
	if c.demo {
		go runDemo(ctx, srv, feed, report)
	}
	log.Info("herald listening", "url", c.scheme()+"://"+ln.Addr().String(), "publish", c.publishToken != "")
	errc := make(chan error, 1)
	go func() { errc <- c.serveOn(hs, ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("herald draining", "timeout", c.shutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), c.shutdownTimeout)
	defer cancel()
	shutdown(sctx, srv, hs, log)
	return nil
}

// shutdown drains srv and then shuts hs down, both by the deadline of ctx:
// what is left then, streams whose clients take nothing and requests still
// in flight, is cut and logged. Reaching the deadline is an expected end,
// not a failure.
func shutdown(ctx context.Context, srv *server.Server, hs *http.Server, log *slog.Logger) {
	if err := srv.DrainContext(ctx); err != nil {
		log.Warn("herald cut streams at the shutdown timeout", "err", err)
	}
	if err := hs.Shutdown(ctx); err != nil {
		log.Warn("herald closed the connections still busy at the shutdown timeout", "err", err)
		_ = hs.Close()
	}
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
