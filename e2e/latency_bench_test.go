package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/internal/natstest"
	"github.com/heraldhq/herald/shared"
)

// BenchmarkPublishToDeliver measures the delay from a publish to its arrival
// at each of 1,000 subscribers: through NATS JetStream with three servers,
// the subscribers spread over them and each event published to one at
// random, against the in-memory broker on one server. Each iteration
// publishes one probe; the probes are paced at HERALD_BENCH_RATE events per
// second (50 by default: 50,000 deliveries a second). Run it with a fixed
// count, such as:
//
//	go test -run '^$' -bench PublishToDeliver -benchtime 500x ./e2e
func BenchmarkPublishToDeliver(b *testing.B) {
	rate := 50
	if v, err := strconv.Atoi(os.Getenv("HERALD_BENCH_RATE")); err == nil && v > 0 {
		rate = v
	}
	for _, c := range []struct {
		name    string
		servers int
		nats    bool
	}{
		{"broker=memory/servers=1", 1, false},
		{"broker=nats/servers=3", 3, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			flags := []string{"-demo=false", "-max-conns", "20000", "-max-conns-per-client", "20000", "-queue-events", "100000", "-queue-bytes", "104857600"}
			if c.nats {
				flags = append(flags, "-broker", natstest.Start(b).URL())
			}
			var urls []string
			var token string
			for range c.servers {
				in := startHerald(b, flags...)
				urls, token = append(urls, in.URL), in.Token
			}
			measureLatency(b, urls, token, 1000, rate)
		})
	}
}

// measureLatency connects subscribers to urls in turn, publishes b.N probes
// at rate to random urls, and reports the delays at the subscribers.
func measureLatency(b *testing.B, urls []string, token string, subscribers, rate int) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	subs := make([]*latencySub, subscribers)
	var connected sync.WaitGroup
	for i := range subs {
		subs[i] = &latencySub{}
		connected.Add(1)
		go subs[i].run(ctx, urls[i%len(urls)]+"/events?topic="+events.PublicTopic, connected.Done)
	}
	connected.Wait()
	for _, s := range subs {
		if s.err != nil {
			b.Fatal(s.err)
		}
	}
	b.ResetTimer()
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	for i := 0; i < b.N; i++ {
		<-tick.C
		if err := publishProbe(ctx, urls[rand.N(len(urls))], token, int64(i)); err != nil {
			b.Fatal(err)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for _, s := range subs {
		for s.count.Load() < int64(b.N) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
	}
	b.StopTimer()
	cancel()
	reportLatency(b, subs)
}

func reportLatency(b *testing.B, subs []*latencySub) {
	var all []time.Duration
	for _, s := range subs {
		s.mu.Lock()
		all = append(all, s.delays...)
		s.mu.Unlock()
	}
	if want := len(subs) * b.N; len(all) != want {
		b.Fatalf("%d of %d deliveries arrived", len(all), want)
	}
	slices.Sort(all)
	pct := func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))]) / 1e6 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(all[len(all)-1])/1e6, "max-ms")
}

func publishProbe(ctx context.Context, url, token string, s int64) error {
	data, _ := shared.ProbeEvent.Encode(shared.Probe{T: time.Now().UnixNano(), S: s})
	body, _ := json.Marshal(map[string]any{"topic": events.PublicTopic, "type": "probe", "data": json.RawMessage(data)})
	req, _ := http.NewRequestWithContext(ctx, "POST", url+"/publish", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("publish probe %d to %s: status %d", s, url, resp.StatusCode)
	}
	return nil
}

// latencySub reads one stream and records, for each probe, the delay since
// the probe's publisher stamped it.
type latencySub struct {
	count atomic.Int64
	err   error

	mu     sync.Mutex
	delays []time.Duration
}

var probeT = []byte(`data: {"t":`)

func (s *latencySub) run(ctx context.Context, url string, connected func()) {
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := subscriberClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		s.err = fmt.Errorf("subscribe to %s: %v %v", url, err, resp)
		connected()
		return
	}
	defer resp.Body.Close()
	connected()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasPrefix(line, probeT) {
			continue
		}
		now := time.Now().UnixNano()
		rest := line[len(probeT):]
		end := bytes.IndexByte(rest, ',')
		t, err := strconv.ParseInt(string(rest[:max(end, 0)]), 10, 64)
		if err != nil {
			continue
		}
		s.mu.Lock()
		s.delays = append(s.delays, time.Duration(now-t))
		s.mu.Unlock()
		s.count.Add(1)
	}
}

// subscriberClient keeps one connection per stream and no idle ones.
var subscriberClient = &http.Client{Transport: &http.Transport{MaxConnsPerHost: 0, DisableKeepAlives: true}}
