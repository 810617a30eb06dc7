package e2e

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/heraldhq/herald/app/events"
)

// At SIGTERM the binary delivers what it accepted, tells clients when to come
// back, and exits 0.
func TestSIGTERMDeliversAcceptedEventsTellsClientsToComeBackAndExitsZero(t *testing.T) {
	in := startHerald(t, "-demo=false", "-retry=2s")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", in.URL+"/events?topic="+events.PublicTopic, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()

	const n = 200
	var batch []string
	for i := 0; i < n; i++ {
		batch = append(batch, fmt.Sprintf(`{"topic":%q,"type":"notification","data":{"user":"u","message":"m%d","level":"info"}}`, events.PublicTopic, i))
	}
	in.publish(t, "["+strings.Join(batch, ",")+"]")
	if err := in.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	events, retry := 0, ""
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "data: "):
			events++
		case strings.HasPrefix(line, "retry: "):
			retry = strings.TrimPrefix(line, "retry: ")
		}
	}
	if events != n {
		t.Errorf("got %d of the %d events accepted before SIGTERM", events, n)
	}
	if ms, err := strconv.Atoi(retry); err != nil || ms < 2000 || ms >= 4000 {
		t.Errorf("last retry before close = %q, want a delay in [2000, 4000) ms", retry)
	}
	if err := in.cmd.Wait(); err != nil {
		t.Errorf("herald exited with %v, want status 0", err)
	}
}
