package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// post publishes body (POST /publish) and waits for the server's answer.
func post(ctx context.Context, in *instance, body string) error {
	req, err := http.NewRequestWithContext(ctx, "POST", in.URL+"/publish", strings.NewReader(body))
	if err != nil {
		return fmt.Errorf("publish %.40q: %w", body, err)
	}
	req.Header.Set("Authorization", "Bearer "+in.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("publish %.40q: %w", body, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("publish %.40q: %d %s", body, resp.StatusCode, out)
	}
	return nil
}

// publishEvery publishes body(1), body(2)… one every d, at most max of
// them, each once the server answered the one before, until the test ends;
// it returns how many the server accepted so far. A publish that fails
// fails the test and ends the publishing.
func publishEvery(tb testing.TB, in *instance, d time.Duration, max int, body func(i int) string) *atomic.Int64 {
	ctx, cancel := context.WithCancel(context.Background())
	var n atomic.Int64
	done := make(chan struct{})
	tb.Cleanup(func() {
		cancel()
		<-done
	})
	go func() {
		defer close(done)
		tick := time.NewTicker(d)
		defer tick.Stop()
		for i := 1; i <= max; i++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if err := post(ctx, in, body(i)); err != nil {
				if ctx.Err() == nil {
					tb.Errorf("%v", err)
				}
				return
			}
			n.Add(1)
		}
	}()
	return &n
}
