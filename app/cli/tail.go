//go:build !(js && wasm)

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/heraldhq/herald/app/eventsource"
	"github.com/heraldhq/herald/shared/sse"
)

// tailConfig is what the flags of tail say.
type tailConfig struct {
	url     string
	topics  stringList
	headers stringList
	lastID  string
	raw     bool
	opts    []eventsource.Option
}

const tailUsage = "URL [--topic NAME]... [--last-event-id ID] [--raw]"

// Tail runs "herald tail": it prints each event of a stream as it arrives,
// reconnecting as a browser would, until ctx ends (exit code 0), the server
// ends the stream with 204 No Content (0), or a fatal error (1).
//
// URL is the server, such as http://127.0.0.1:8000, to which /events is added,
// or the full URL of a stream. Each --topic adds a topic parameter. Events of
// the demo schema are decoded and printed in short; others as they come. With
// --raw every event is a line of JSON, {"id": "...", "event": "...", "data":
// "..."}, its data the exact string received.
func Tail(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, code, ok := parseTail(args, stderr)
	if !ok {
		return code
	}
	src, err := eventsource.New(cfg.url, append(cfg.opts, eventsource.WithContext(ctx))...)
	if err != nil {
		fmt.Fprintln(stderr, "tail:", err)
		return exitUsage
	}
	out := &tailOutput{w: stdout, raw: cfg.raw, stop: src.Close}
	src.OnAny(out.print)
	src.OnOpen(func() { fmt.Fprintf(stderr, "tail: connected to %s\n", cfg.url) })
	src.OnError(func(err error) { reportTailError(err, stderr) })
	src.Start()
	<-src.Done()
	return tailExit(src.Err(), out.err(), stderr)
}

// reportTailError prints the errors the Source goes on after: a broken
// connection, and an event dropped for its size. A fatal one is printed when
// the Source is done.
func reportTailError(err error, stderr io.Writer) {
	var tooLarge *eventsource.EventTooLargeError
	switch {
	case errors.Is(err, eventsource.ErrConnection):
		fmt.Fprintf(stderr, "tail: %v; reconnecting\n", err)
	case errors.As(err, &tooLarge):
		fmt.Fprintf(stderr, "tail: %v; going on\n", err)
	}
}

// parseTail reads the arguments of tail. It returns the exit code when it
// cannot go on.
func parseTail(args []string, stderr io.Writer) (cfg tailConfig, code int, ok bool) {
	fs := newFlagSet("tail", tailUsage, stderr)
	fs.Var(&cfg.topics, "topic", "a topic to follow; repeat it for several")
	fs.StringVar(&cfg.lastID, "last-event-id", "", "resume after the event of this id")
	fs.BoolVar(&cfg.raw, "raw", false, `print each event as JSON: {"id": "...", "event": "...", "data": "..."}`)
	fs.Var(&cfg.headers, "header", `a header to send, "Name: value"; repeat it for several`)
	retry := fs.Duration("retry", eventsource.DefaultRetry, "reconnection time until the server sets one")
	readTimeout := fs.Duration("read-timeout", eventsource.DefaultReadTimeout, "reconnect when the stream is silent this long; 0 waits for ever")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return cfg, parseFailed(err), false
	}
	if len(pos) != 1 {
		return cfg, usageError(fs, stderr, "want one URL, got %d arguments", len(pos)), false
	}
	if cfg.url, err = streamURL(pos[0], cfg.topics); err != nil {
		return cfg, usageError(fs, stderr, "%v", err), false
	}
	cfg.opts = []eventsource.Option{eventsource.WithRetry(*retry), eventsource.WithReadTimeout(*readTimeout), eventsource.WithLastEventID(cfg.lastID), eventsource.WithCredentials()}
	for _, h := range cfg.headers {
		name, value, found := strings.Cut(h, ":")
		if !found || strings.TrimSpace(name) == "" {
			return cfg, usageError(fs, stderr, "--header %q is not \"Name: value\"", h), false
		}
		cfg.opts = append(cfg.opts, eventsource.WithHeader(strings.TrimSpace(name), strings.TrimSpace(value)))
	}
	return cfg, exitOK, true
}

// streamURL returns the URL of the stream of topics on the server at raw: raw
// itself if its path ends in /events, or raw with /events added.
func streamURL(raw string, topics []string) (string, error) {
	u, err := url.Parse(withScheme(raw))
	if err != nil {
		return "", fmt.Errorf("URL %q: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("URL %q is not an http or https URL", raw)
	}
	if !strings.HasSuffix(u.Path, "/events") {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/events"
	}
	if len(topics) > 0 {
		q := u.Query()
		for _, t := range topics {
			q.Add("topic", t)
		}
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}

// tailExit returns the exit code of tail, and says why it stopped.
func tailExit(srcErr, outErr error, stderr io.Writer) int {
	var re *eventsource.ResponseError
	switch {
	case outErr != nil:
		fmt.Fprintf(stderr, "tail: write the events: %v\n", outErr)
		return exitError
	case srcErr == nil:
		return exitOK
	case errors.As(srcErr, &re) && re.StatusCode == http.StatusNoContent:
		fmt.Fprintf(stderr, "tail: %s answered 204 No Content: the stream is over\n", re.URL)
		return exitOK
	}
	fmt.Fprintln(stderr, "tail:", srcErr)
	return exitError
}

// tailOutput prints events, and stops the Source if it cannot.
type tailOutput struct {
	w    io.Writer
	raw  bool
	stop func()

	mu       sync.Mutex
	writeErr error
	buf      []byte
}

func (o *tailOutput) print(e sse.Event) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.writeErr != nil {
		return
	}
	if o.raw {
		o.buf = appendRaw(o.buf[:0], e)
	} else {
		o.buf = appendPretty(o.buf[:0], e)
	}
	if _, err := o.w.Write(o.buf); err != nil {
		o.writeErr = err
		o.stop()
	}
}

func (o *tailOutput) err() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.writeErr
}
