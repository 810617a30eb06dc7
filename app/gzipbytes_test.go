//go:build !(js && wasm)

package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
)

// BenchmarkDemoBytesPerEvent runs the demo's publishers for a few seconds,
// its figures sampled every 100 ms, its log feed fed by the audit lines of
// a notification published every 50 ms, with two streams of the demo's
// topics open, one asking for gzip and one not. It reports the body bytes
// each took per event:
//
//	go test ./app -run '^$' -bench DemoBytesPerEvent -benchtime 1x
func BenchmarkDemoBytesPerEvent(b *testing.B) {
	for b.Loop() {
		raw, gz := demoStreams(b, 3*time.Second)
		b.ReportMetric(0, "ns/op")
		b.ReportMetric(float64(raw.bytes)/float64(raw.events), "raw-B/event")
		b.ReportMetric(float64(gz.bytes)/float64(gz.events), "gzip-B/event")
		b.ReportMetric(float64(gz.events), "events")
	}
}

// streamCount is what a stream took: its body bytes as sent, and its events.
type streamCount struct {
	bytes, events int
}

// demoStreams runs the demo for d and returns the counts of a plain stream
// and of a gzip stream of its topics.
func demoStreams(b *testing.B, d time.Duration) (raw, gz streamCount) {
	b.Helper()
	feed := newLogFeed(slog.DiscardHandler)
	srv, err := server.New(server.Config{Schema: events.Schema, PublishToken: "t", Authorizer: demoPolicy{}, Logger: slog.New(feed)})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	url := ts.URL + "/events?topic=" + events.MetricsTopic + "&topic=" + events.LogsTopic + "&topic=" + events.PublicTopic
	plain, zipped := openCounted(b, ctx, url, "identity"), openCounted(b, ctx, url, "gzip")
	go feed.run(ctx, func(line events.LogLine) error {
		_, err := server.Publish(srv, events.LogsTopic, events.LogEvent, line)
		return err
	}, slog.New(slog.DiscardHandler))
	go publishFigures(ctx, srv, 100*time.Millisecond, slog.New(slog.DiscardHandler))
	publishNotifications(ctx, ts.URL, 50*time.Millisecond)
	<-ctx.Done()
	srv.Drain()
	return <-plain, <-zipped
}

// openCounted opens url asking for acceptEncoding, and counts its bytes and
// events until ctx ends.
func openCounted(b *testing.B, ctx context.Context, url, acceptEncoding string) <-chan streamCount {
	b.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	req.Header.Set("Accept-Encoding", acceptEncoding)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	out := make(chan streamCount, 1)
	go func() {
		defer resp.Body.Close()
		var sent bytes.Buffer
		_, _ = io.Copy(&sent, resp.Body) // until ctx ends
		out <- countStream(sent.Bytes(), resp.Header.Get("Content-Encoding") == "gzip")
	}()
	return out
}

// countStream counts the events of a stream's body, gzipped or not. A gzip
// stream cut by the end of the run inflates up to its last piece.
func countStream(body []byte, gzipped bool) streamCount {
	c := streamCount{bytes: len(body)}
	var r io.Reader = bytes.NewReader(body)
	if gzipped {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return c
		}
		r = zr
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "id: ") {
			c.events++
		}
	}
	return c
}

// publishNotifications publishes a notification every every until ctx ends.
func publishNotifications(ctx context.Context, base string, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		body := fmt.Sprintf(`{"topic":%q,"type":"notification","data":{"user":"ann","message":"deploy %d finished","level":"info"}}`, events.PublicTopic, i)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/publish", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer t")
		req.Header.Set("Content-Type", "application/json")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}
}
