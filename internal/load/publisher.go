package load

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
)

// requestTimeout bounds each publish request.
const requestTimeout = 30 * time.Second

// publisher sends the probes to POST /publish, one request at a time.
type publisher struct {
	url    *url.URL
	token  string
	topic  []byte // the topic as a JSON string
	client *http.Client
	cfg    Config

	published atomic.Int64 // probes the server accepted
	requests  atomic.Int64
	first     time.Time // when the first request was built
}

// newPublisher returns the publisher of cfg to u.
func newPublisher(u *url.URL, cfg Config) *publisher {
	topic, _ := json.Marshal(cfg.Topic) // a string always encodes
	return &publisher{url: u, token: cfg.Token, topic: topic, cfg: cfg,
		client: &http.Client{Timeout: requestTimeout, Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}}}
}

// run publishes cfg.Events probes until done, unpaced or at cfg.Rate, and
// stops at ctx's end or at the first request the server refuses.
func (p *publisher) run(ctx context.Context) error {
	defer p.client.CloseIdleConnections()
	p.first = time.Now()
	var body []byte
	for sent := int64(0); sent < int64(p.cfg.Events); {
		n, err := p.due(ctx, sent)
		if err != nil {
			return err
		}
		body = publishBody(body[:0], p.topic, time.Now().UnixNano(), sent, n, p.cfg.Pad)
		if err := p.post(ctx, body); err != nil {
			return fmt.Errorf("publish probes %d to %d: %w", sent, sent+int64(n)-1, err)
		}
		sent += int64(n)
		p.published.Store(sent)
		p.requests.Add(1)
	}
	return nil
}

// due waits until at least one probe is due, after sent were sent, and
// returns how many to send now: all that are due, at most a batch.
func (p *publisher) due(ctx context.Context, sent int64) (int, error) {
	left := int64(p.cfg.Events) - sent
	n := min(left, int64(p.cfg.Batch))
	if p.cfg.Rate == 0 {
		return int(n), ctx.Err()
	}
	next := p.first.Add(time.Duration(float64(sent+1) / p.cfg.Rate * float64(time.Second)))
	if wait := time.Until(next); wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return 0, ctx.Err()
		case <-t.C:
		}
	}
	due := int64(time.Since(p.first).Seconds()*p.cfg.Rate) - sent
	return int(max(min(due, n), 1)), nil
}

// post sends one publish request and checks that the server took it.
func (p *publisher) post(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url.String(), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("POST %s: %w", p.url, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST %s: the server answered %s: %q", p.url, resp.Status, bytes.TrimSpace(answer[:min(len(answer), 300)]))
	}
	return nil
}
