package load

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// numShards is how many histograms the streams share, so that streams on
// different cores seldom count into the same one.
const numShards = 16

// maxDialing is the most streams connecting at once, within the server's
// listen backlog.
const maxDialing = 128

// shard is the counts that a share of the streams add to.
type shard struct {
	hist     Histogram
	distinct atomic.Int64
}

// run is one run's state.
type run struct {
	cfg       Config
	streamURL *url.URL
	shards    [numShards]shard
	connect   Histogram
	streams   []*stream // nil for those that failed to connect
	connected atomic.Int64
	ended     atomic.Int64 // streams whose reading ended
	readers   sync.WaitGroup
	pid       int
	res       Result
	errs      map[string]bool
}

// Run opens cfg.Streams streams to the server, publishes cfg.Events probes,
// waits for them to arrive (or cfg.Drain after the last publish), and
// returns what it measured. It fails only when cfg is wrong or no stream
// opened; other failures, such as a refused publish, end the run early and
// are in Result.Errors.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	streamURL, publishURL, err := endpoints(cfg.URL, cfg.Topic)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	r := &run{cfg: cfg, streamURL: streamURL, streams: make([]*stream, cfg.Streams), errs: map[string]bool{}}
	r.res.Streams = cfg.Streams
	r.findServer()
	r.note("open files", raiseFileLimit(cfg.Streams))
	cpu0, _ := r.cpu()
	r.res.RSSBefore = r.rss()
	r.open(ctx)
	if r.res.Connected == 0 {
		return &r.res, fmt.Errorf("load: no stream opened: %v", r.res.Errors)
	}
	sleep(ctx, cfg.Settle)
	r.res.RSSIdle = r.rss()
	r.res.LoadRSS, _ = residentBytes(os.Getpid())
	cpu1, srvCPU1 := r.cpu()
	r.res.ConnectCPU = cpu1 - cpu0
	pub := newPublisher(publishURL, cfg)
	r.publish(ctx, pub)
	r.closeStreams()
	r.res.RSSAfter = r.rss()
	cpu2, srvCPU2 := r.cpu()
	r.res.LoadCPU, r.res.ServerCPU = cpu2-cpu1, srvCPU2-srvCPU1
	r.sum(pub)
	return &r.res, nil
}

// findServer finds the server's process, for its memory and CPU.
func (r *run) findServer() {
	if r.cfg.PID < 0 {
		r.res.Server = "not measured"
	} else if r.cfg.PID != 0 {
		r.pid, r.res.Server = r.cfg.PID, fmt.Sprintf("process %d, as given", r.cfg.PID)
	} else if ip := net.ParseIP(r.streamURL.Hostname()); ip == nil || !ip.IsLoopback() {
		r.res.Server = "not on loopback: its memory is not measured"
	} else if pid, err := listenerPID(atoiPort(r.streamURL)); err != nil {
		r.res.Server = err.Error()
	} else {
		r.pid, r.res.Server = pid, fmt.Sprintf("process %d, found listening on port %s", pid, r.streamURL.Port())
	}
	r.res.ServerPID = r.pid
}

// atoiPort returns the port of u, 80 if it names none.
func atoiPort(u *url.URL) int {
	if p, err := strconv.Atoi(u.Port()); err == nil {
		return p
	}
	return 80
}

// rss returns the server's resident memory, 0 when unknown.
func (r *run) rss() int64 {
	if r.pid == 0 {
		return 0
	}
	n, err := residentBytes(r.pid)
	r.warn(err)
	return n
}

// cpu returns the CPU time of the load generator and of the server so far.
func (r *run) cpu() (self, server time.Duration) {
	self, err := selfCPU()
	r.warn(err)
	if r.pid != 0 {
		server, err = cpuTime(r.pid)
		r.warn(err)
	}
	return self, server
}

// warn keeps err among the result's warnings if it is the first: a figure
// could not be measured, which fails nothing.
func (r *run) warn(err error) {
	if err != nil && len(r.res.Warnings) == 0 {
		r.res.Warnings = append(r.res.Warnings, "measure: "+err.Error())
	}
}

// note keeps err among the result's errors if it is the first of its kind.
func (r *run) note(kind string, err error) {
	if err == nil || r.errs[kind] {
		return
	}
	r.errs[kind] = true
	r.res.Errors = append(r.res.Errors, kind+": "+err.Error())
}

// open connects the streams, maxDialing at a time, and starts reading each.
func (r *run) open(ctx context.Context) {
	start := time.Now()
	srcs := sources(r.streamURL.Hostname(), r.cfg.Streams, r.cfg.PerSource)
	sem := make(chan struct{}, maxDialing)
	var dialing sync.WaitGroup
	var mu sync.Mutex
	stop := r.progress(ctx, func() string {
		return fmt.Sprintf("connecting: %d of %d streams open", r.connected.Load(), r.cfg.Streams)
	})
	for i := range r.cfg.Streams {
		var src *net.TCPAddr
		if srcs != nil {
			src = srcs[i]
		}
		sem <- struct{}{}
		dialing.Add(1)
		go func() {
			t0 := time.Now()
			s, err := dialStream(ctx, r.streamURL, src, r.cfg.Gzip, r.cfg.ConnectTimeout)
			<-sem
			mu.Lock()
			r.note("connect", err)
			mu.Unlock()
			if err != nil {
				dialing.Done()
				return
			}
			r.connect.Record(time.Since(t0))
			s.seq, s.stats = newSequence(r.cfg.Events), &r.shards[i%numShards]
			s.hist = &s.stats.hist
			r.streams[i] = s
			r.connected.Add(1)
			r.readers.Add(1)
			dialing.Done()
			defer r.readers.Done()
			s.read()
			r.ended.Add(1)
		}()
	}
	dialing.Wait()
	stop()
	r.res.ConnectTime = time.Since(start)
	r.res.Connected = int(r.connected.Load())
	r.res.ConnectFailed = r.cfg.Streams - r.res.Connected
	r.res.Connect = latencyOf(&r.connect)
}

// publish runs pub and waits for its probes to arrive, reporting progress.
func (r *run) publish(ctx context.Context, pub *publisher) {
	if r.cfg.Events == 0 {
		return
	}
	var last struct {
		at time.Time
		n  uint64
	}
	last.at = time.Now()
	stop := r.progress(ctx, func() string {
		h := r.merged()
		now, n := time.Now(), h.Count()
		rate := float64(n-last.n) / now.Sub(last.at).Seconds()
		last.at, last.n = now, n
		return fmt.Sprintf("%d published, %d delivered, %.0f events/s, p99 %s, %d of %d streams open",
			pub.published.Load(), n, rate, ms(h.Quantile(0.99)), r.live(), r.res.Connected)
	})
	defer stop()
	r.note("publish", pub.run(ctx))
	r.waitDelivery(ctx, pub.published.Load()*int64(r.res.Connected))
}

// waitDelivery waits until the streams have received want distinct probes,
// for cfg.Drain at most.
func (r *run) waitDelivery(ctx context.Context, want int64) {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Drain)
	defer cancel()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for r.distinct() < want && r.live() > 0 {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// distinct returns how many distinct probes the streams received.
func (r *run) distinct() int64 {
	var n int64
	for i := range r.shards {
		n += r.shards[i].distinct.Load()
	}
	return n
}

// live returns how many streams are still open.
func (r *run) live() int { return int(r.connected.Load() - r.ended.Load()) }

// merged returns the latencies of all streams so far.
func (r *run) merged() *Histogram {
	h := new(Histogram)
	for i := range r.shards {
		h.Merge(&r.shards[i].hist)
	}
	return h
}

// closeStreams ends every stream and waits for their goroutines.
func (r *run) closeStreams() {
	for _, s := range r.streams {
		if s != nil {
			s.conn.Close()
		}
	}
	r.readers.Wait()
}

// sum fills the result in from the streams, once they are done.
func (r *run) sum(pub *publisher) {
	res := &r.res
	res.Published, res.Requests = pub.published.Load(), pub.requests.Load()
	res.Expected = res.Published * int64(res.Connected)
	var last time.Time
	var distinct int64
	for _, s := range r.streams {
		if s == nil {
			continue
		}
		if s.readErr != nil && !errors.Is(s.readErr, net.ErrClosed) {
			res.StreamsEnded++
			r.note("read", s.readErr)
		}
		res.Duplicated += s.seq.duplicated
		res.OutOfOrder += s.seq.outOfOrder
		res.Other += s.other
		distinct += s.seq.distinct
		if s.last.After(last) {
			last = s.last
		}
	}
	h := r.merged()
	res.Delivered = int64(h.Count())
	res.Lost = max(res.Expected-distinct, 0)
	res.Latency = latencyOf(h)
	if !last.IsZero() && !pub.first.IsZero() {
		res.Elapsed = last.Sub(pub.first)
		res.EventsPerSecond = float64(res.Delivered) / res.Elapsed.Seconds()
	}
	if res.Delivered > 0 {
		res.LoadCPUPerEvent = res.LoadCPU / time.Duration(res.Delivered)
	}
	if res.RSSIdle > 0 && res.RSSBefore > 0 {
		res.IdlePerStream = (res.RSSIdle - res.RSSBefore) / int64(res.Connected)
	}
}

// progress prints line() to cfg.Progress every cfg.ProgressEvery until the
// returned function is called.
func (r *run) progress(ctx context.Context, line func() string) (stop func()) {
	if r.cfg.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		start := time.Now()
		tick := time.NewTicker(r.cfg.ProgressEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-done:
				return
			case <-tick.C:
				fmt.Fprintf(r.cfg.Progress, "load: %5.1fs  %s\n", time.Since(start).Seconds(), line())
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
