package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/app/eventsource"
	"github.com/heraldhq/herald/internal/natstest"
	"github.com/heraldhq/herald/shared"
	"github.com/heraldhq/herald/shared/sse"
)

// Three Herald servers share one NATS JetStream stream. Native clients read
// from all three while events are published to random servers at full
// speed; one server is killed with SIGKILL and its clients resume on the
// others, and NATS itself is restarted. In the end every client has every
// accepted event exactly once, in order.
func TestThreeServersOnNATSLoseNothingWhenOneIsKilledAndNATSRestarts(t *testing.T) {
	const (
		servers    = 3
		clients    = 30
		events     = 6000
		publishers = 6
	)
	ctx := withTimeout(t, 90*time.Second)
	ns := natstest.Start(t)
	var nodes []*instance
	for range servers {
		nodes = append(nodes, startHerald(t, "-demo=false", "-broker", ns.URL(), "-retry", "200ms", "-heartbeat", "1s"))
	}
	hosts := make([]string, servers)
	for i, n := range nodes {
		u, _ := url.Parse(n.URL)
		hosts[i] = u.Host
	}
	pub := &publisher{hosts: hosts, token: nodes[0].Token, accepted: map[int64]uint64{}}

	readers := make([]*clusterReader, clients)
	for i := range readers {
		readers[i] = openClusterReader(t, ctx, hosts, i%servers)
	}
	for _, r := range readers {
		r.waitOpen(t, ctx)
	}

	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range publishers {
		wg.Go(func() {
			for s := next.Add(1) - 1; s < events && ctx.Err() == nil; s = next.Add(1) - 1 {
				pub.publish(ctx, t, s)
			}
		})
	}
	pub.waitAccepted(ctx, events/3)
	if err := nodes[0].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	t.Logf("%v: killed server 0 after %d events", time.Since(start), pub.count())
	pub.waitAccepted(ctx, 2*events/3)
	ns.Stop()
	t.Logf("%v: stopped NATS after %d events", time.Since(start), pub.count())
	time.Sleep(time.Second)
	ns.Restart()
	t.Logf("%v: restarted NATS", time.Since(start))
	wg.Wait()
	if ctx.Err() != nil {
		t.Fatalf("only %d of %d events accepted in time", pub.count(), events)
	}

	t.Logf("%v: all %d events accepted", time.Since(start), events)
	want := pub.ids()
	for i, r := range readers {
		if err := r.waitFor(ctx, want); err != nil {
			t.Fatalf("client %d (first on server %d): %v", i, i%servers, err)
		}
	}
	switched := 0
	for _, r := range readers {
		switched += int(r.switches.Load())
	}
	t.Logf("%d clients got all %d events once, in order; clients switched server %d times; %d publishes retried",
		clients, events, switched, pub.retries.Load())
}

// publisher publishes probes to random servers, each with an idempotency key
// of its own, and retries a probe on another server until one accepts it.
type publisher struct {
	hosts   []string
	token   string
	retries atomic.Int64

	mu       sync.Mutex
	accepted map[int64]uint64 // probe number → event id
	changed  chan struct{}
}

// publish publishes probe s and records its id, failing the test if no
// server accepts it before ctx ends or if it gets two ids.
func (p *publisher) publish(ctx context.Context, t *testing.T, s int64) {
	data, _ := shared.ProbeEvent.Encode(shared.Probe{T: time.Now().UnixNano(), S: s})
	body, _ := json.Marshal(map[string]any{"topic": events.PublicTopic, "type": "probe", "data": json.RawMessage(data)})
	key := "probe-" + strconv.FormatInt(s, 10)
	for attempt := 0; ctx.Err() == nil; attempt++ {
		if attempt > 0 {
			p.retries.Add(1)
			time.Sleep(20 * time.Millisecond)
		}
		id, err := p.post(ctx, p.hosts[rand.N(len(p.hosts))], key, body)
		if err != nil {
			continue
		}
		p.record(t, s, id)
		return
	}
}

// post sends one publish and returns the id it got.
func (p *publisher) post(ctx context.Context, host, key string, body []byte) (uint64, error) {
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(rctx, "POST", "http://"+host+"/publish", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+p.token)
	req.Header.Set("Idempotency-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var out struct{ ID string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("publish: status %d", resp.StatusCode)
	}
	return strconv.ParseUint(out.ID, 10, 64)
}

func (p *publisher) record(t *testing.T, s int64, id uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if old, ok := p.accepted[s]; ok && old != id {
		t.Errorf("probe %d was accepted twice, as %d and %d", s, old, id)
	}
	p.accepted[s] = id
	if p.changed != nil {
		close(p.changed)
		p.changed = nil
	}
}

func (p *publisher) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.accepted)
}

// waitAccepted waits until n probes were accepted, or ctx ends.
func (p *publisher) waitAccepted(ctx context.Context, n int) {
	for {
		p.mu.Lock()
		if len(p.accepted) >= n {
			p.mu.Unlock()
			return
		}
		if p.changed == nil {
			p.changed = make(chan struct{})
		}
		changed := p.changed
		p.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return
		}
	}
}

// ids returns the accepted probes by id: what every client must get.
func (p *publisher) ids() map[uint64]int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[uint64]int64, len(p.accepted))
	for s, id := range p.accepted {
		out[id] = s
	}
	return out
}

// clusterReader is a native client of the cluster. Its HTTP transport sends
// each request to its current server and moves on to the next one when that
// server cannot be reached, as a load balancer would; the Source resumes
// there with its Last-Event-ID.
type clusterReader struct {
	src      *eventsource.Source
	opened   chan struct{}
	switches atomic.Int64

	mu     sync.Mutex
	got    []probeAt
	err    error
	change chan struct{}
}

type probeAt struct {
	id uint64
	s  int64
}

func openClusterReader(t *testing.T, ctx context.Context, hosts []string, first int) *clusterReader {
	r := &clusterReader{opened: make(chan struct{})}
	ft := &failoverTransport{hosts: hosts, reader: r}
	ft.current.Store(int32(first))
	src, err := eventsource.New("http://"+hosts[first]+"/events?topic="+events.PublicTopic,
		eventsource.WithContext(ctx),
		eventsource.WithHTTPClient(&http.Client{Transport: ft}),
		eventsource.WithRetry(200*time.Millisecond),
		eventsource.WithReadTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	src.OnOpen(func() { once.Do(func() { close(r.opened) }) })
	src.OnAny(r.receive)
	src.Start()
	t.Cleanup(src.Close)
	r.src = src
	return r
}

func (r *clusterReader) waitOpen(t *testing.T, ctx context.Context) {
	select {
	case <-r.opened:
	case <-ctx.Done():
		t.Fatal("a client did not connect in time")
	}
}

// receive checks that each event follows the previous one and records it.
func (r *clusterReader) receive(e sse.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	defer r.notify()
	if r.err != nil {
		return
	}
	if e.Type != "probe" {
		r.err = fmt.Errorf("got a %s event (%q)", e.Type, e.Data)
		return
	}
	id, err := strconv.ParseUint(e.ID, 10, 64)
	if err != nil {
		r.err = fmt.Errorf("event id %q: %w", e.ID, err)
		return
	}
	if n := len(r.got); n > 0 && id <= r.got[n-1].id {
		r.err = fmt.Errorf("event %d after event %d: twice or out of order", id, r.got[n-1].id)
		return
	}
	p, err := shared.ProbeEvent.Decode([]byte(e.Data))
	if err != nil {
		r.err = err
		return
	}
	r.got = append(r.got, probeAt{id, p.S})
}

func (r *clusterReader) notify() {
	if r.change != nil {
		close(r.change)
		r.change = nil
	}
}

// waitFor waits until the client has as many events as want, then checks
// they are exactly want's.
func (r *clusterReader) waitFor(ctx context.Context, want map[uint64]int64) error {
	for {
		r.mu.Lock()
		if r.err != nil || len(r.got) >= len(want) {
			defer r.mu.Unlock()
			return r.check(want)
		}
		if r.change == nil {
			r.change = make(chan struct{})
		}
		change, n := r.change, len(r.got)
		r.mu.Unlock()
		select {
		case <-change:
		case <-ctx.Done():
			return fmt.Errorf("got %d of %d events in time", n, len(want))
		}
	}
}

func (r *clusterReader) check(want map[uint64]int64) error {
	if r.err != nil {
		return r.err
	}
	var errs []error
	for _, p := range r.got {
		if s, ok := want[p.id]; !ok || s != p.s {
			errs = append(errs, fmt.Errorf("got event %d as probe %d, which was not accepted as such", p.id, p.s))
		}
	}
	if len(r.got) != len(want) {
		errs = append(errs, fmt.Errorf("got %d events, want %d", len(r.got), len(want)))
	}
	return errors.Join(errs...)
}

// failoverTransport sends requests to the current server of its reader and,
// when that one cannot be reached, to the next.
type failoverTransport struct {
	hosts   []string
	reader  *clusterReader
	current atomic.Int32
}

func (ft *failoverTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var err error
	for range ft.hosts {
		i := ft.current.Load()
		out := req.Clone(req.Context())
		out.URL.Host, out.Host = ft.hosts[i], ft.hosts[i]
		var resp *http.Response
		if resp, err = http.DefaultTransport.RoundTrip(out); err == nil {
			return resp, nil
		}
		var errno syscall.Errno
		if !errors.As(err, &errno) || errno != syscall.ECONNREFUSED {
			return nil, err
		}
		if ft.current.CompareAndSwap(i, (i+1)%int32(len(ft.hosts))) {
			ft.reader.switches.Add(1)
		}
	}
	return nil, err
}
