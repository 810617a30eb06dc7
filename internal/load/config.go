package load

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"strings"
	"time"
)

// Config is what a run does. Only URL is required: the zero values of the
// others mean the defaults below.
type Config struct {
	// URL is the server, such as http://127.0.0.1:8000: streams open
	// GET /events?topic=Topic on it and probes go to POST /publish.
	URL string
	// Topic is the topic the streams follow and the probes go to.
	Topic string
	// Token is the bearer token of POST /publish; empty sends none.
	Token string
	// Streams is how many streams to open.
	Streams int
	// Events is how many probes to publish in all; each stream should get
	// every one. 0 publishes none: the run measures connections and memory.
	Events int
	// Rate is how many probes to publish a second; 0 publishes unpaced, the
	// next request as soon as the server has answered the last.
	Rate float64
	// Batch is the most probes in one request, sent as a JSON array; 1 sends
	// each as one JSON object.
	Batch int
	// Pad is the length of each probe's padding, which sets its size.
	Pad int
	// Duration bounds the whole run, connecting included.
	Duration time.Duration
	// Drain is how long to wait, after the last publish, for what has not
	// arrived yet.
	Drain time.Duration
	// Settle is how long the streams stay idle between connecting and
	// publishing, when the server's idle memory is measured.
	Settle time.Duration
	// ConnectTimeout bounds the opening of each stream.
	ConnectTimeout time.Duration
	// Gzip asks for Accept-Encoding: gzip and decodes a gzip answer.
	Gzip bool
	// PerSource is the most streams from one loopback source address
	// (127.0.0.1, 127.0.0.2, …) when the server is on loopback; 0 takes the
	// ports of the ephemeral range, less a margin.
	PerSource int
	// PID is the server's process, for its memory; 0 looks for the process
	// that listens on the server's port, when it is on this machine; a
	// negative PID measures nothing.
	PID int
	// Progress receives a line of progress every ProgressEvery; nil prints
	// none.
	Progress      io.Writer
	ProgressEvery time.Duration
}

// The defaults of Config.
const (
	DefaultTopic          = "public"
	DefaultStreams        = 100
	DefaultBatch          = 1
	DefaultPad            = 64
	DefaultDuration       = time.Minute
	DefaultDrain          = 10 * time.Second
	DefaultSettle         = time.Second
	DefaultConnectTimeout = 10 * time.Second
	DefaultProgressEvery  = time.Second
)

// The bounds that keep a run bounded.
const (
	maxStreams  = 1_000_000
	maxEvents   = 1_000_000_000
	maxBatch    = 100_000
	maxPad      = 1 << 20
	maxDuration = 24 * time.Hour
)

// withDefaults returns c with its zero values replaced by the defaults.
func (c Config) withDefaults() Config {
	set := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	if c.Topic == "" {
		c.Topic = DefaultTopic
	}
	if c.Streams == 0 {
		c.Streams = DefaultStreams
	}
	if c.Batch == 0 {
		c.Batch = DefaultBatch
	}
	set(&c.Duration, DefaultDuration)
	set(&c.Drain, DefaultDrain)
	set(&c.Settle, DefaultSettle)
	set(&c.ConnectTimeout, DefaultConnectTimeout)
	set(&c.ProgressEvery, DefaultProgressEvery)
	return c
}

// check says what is wrong with c, defaults applied.
func (c Config) check() error {
	switch {
	case c.Streams < 1 || c.Streams > maxStreams:
		return fmt.Errorf("streams %d is not between 1 and %d", c.Streams, maxStreams)
	case c.Events < 0 || c.Events > maxEvents:
		return fmt.Errorf("events %d is not between 0 and %d", c.Events, maxEvents)
	case c.Batch < 1 || c.Batch > maxBatch:
		return fmt.Errorf("batch %d is not between 1 and %d", c.Batch, maxBatch)
	case c.Pad < 0 || c.Pad > maxPad:
		return fmt.Errorf("pad %d is not between 0 and %d", c.Pad, maxPad)
	case !(c.Rate >= 0) || math.IsInf(c.Rate, 1):
		return fmt.Errorf("rate %v is not a number of events a second, 0 or more", c.Rate)
	case c.Duration < 0 || c.Duration > maxDuration:
		return fmt.Errorf("duration %v is not between 0 and %v", c.Duration, maxDuration)
	case c.PerSource < 0:
		return fmt.Errorf("per-source %d is negative", c.PerSource)
	case c.Drain < 0 || c.Settle < 0 || c.ConnectTimeout < 0 || c.ProgressEvery < 0:
		return errors.New("drain, settle, connect timeout and progress interval may not be negative")
	}
	return nil
}

// endpoints returns the stream and publish URLs of the server at raw: the
// path of raw, less a trailing /events or /publish, with /events?topic= and
// /publish added.
func endpoints(raw, topic string) (stream, publish *url.URL, err error) {
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("URL %q: %w", raw, err)
	}
	if u.Scheme != "http" || u.Host == "" {
		return nil, nil, fmt.Errorf("URL %q is not an http URL with a host (the load generator speaks plain HTTP/1.1)", raw)
	}
	base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(u.Path, "/events"), "/publish"), "/")
	s, p := *u, *u
	s.Path, s.RawQuery = base+"/events", url.Values{"topic": {topic}}.Encode()
	p.Path, p.RawQuery = base+"/publish", ""
	return &s, &p, nil
}
