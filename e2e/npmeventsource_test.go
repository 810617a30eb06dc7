package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/app/events"
)

// npmEventSource is the npm package checked: up to v4 its parser records an
// id only with an event that has a data line.
const npmEventSource = "eventsource@4.1.1"

// npmClientScript opens an EventSource on the URL of its first argument and
// prints each notification, and each unnamed message, as a line of JSON.
const npmClientScript = `import { EventSource } from 'eventsource';
const es = new EventSource(process.argv[2]);
const print = (e) => console.log(JSON.stringify({ type: e.type, data: e.data, lastEventId: e.lastEventId }));
es.addEventListener('notification', print);
es.onmessage = print;
es.onerror = (e) => console.error('error:', e.message ?? '');
`

// installNPMEventSource installs the npm package into a temporary directory
// with the client script, and returns the script's path. It fails the test
// if npm cannot install it in two minutes.
func installNPMEventSource(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "install", "--prefix", dir, "--no-audit", "--no-fund", npmEventSource)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm install --prefix %s %s: %v\n%s", dir, npmEventSource, err, out)
	}
	script := filepath.Join(dir, "client.mjs")
	if err := os.WriteFile(script, []byte(npmClientScript), 0o644); err != nil {
		t.Fatalf("write the client script: %v", err)
	}
	return script
}

// npmEvent is one line the client script prints.
type npmEvent struct {
	Type        string `json:"type"`
	Data        string `json:"data"`
	LastEventID string `json:"lastEventId"`
}

// runNPMClient starts the client script on streamURL and returns the events
// it prints. The client stops when the test ends, or after a minute.
func runNPMClient(t *testing.T, script, streamURL string) <-chan npmEvent {
	t.Helper()
	ctx := withTimeout(t, time.Minute)
	cmd := exec.CommandContext(ctx, "node", script, streamURL)
	cmd.Dir = filepath.Dir(script)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = &testLogWriter{t: t, prefix: "node: "}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start node %s: %v", script, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	got := make(chan npmEvent, 100)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var e npmEvent
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Errorf("the client printed %q, not an event: %v", sc.Text(), err)
				continue
			}
			got <- e
		}
	}()
	return got
}

// testLogWriter writes each write to the test log.
type testLogWriter struct {
	t      *testing.T
	prefix string
}

func (w *testLogWriter) Write(b []byte) (int, error) {
	w.t.Log(w.prefix + strings.TrimSpace(string(b)))
	return len(b), nil
}

// TestAnNPMEventSourceCutBeforeItsFirstEventResumesFromThePosition connects
// the npm eventsource client to an idle topic and cuts it once it has read
// the stream's first frame; the events published while it reconnects must
// all reach it, which they do only if it took the position from that frame.
func TestAnNPMEventSourceCutBeforeItsFirstEventResumesFromThePosition(t *testing.T) {
	script := installNPMEventSource(t)
	in := startHerald(t, "-demo=false", "-retry", "200ms")
	u, err := url.Parse(in.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newCutProxy(t, u.Host)
	got := runNPMClient(t, script, "http://"+proxy.Addr+"/events?topic="+events.PublicTopic)

	select {
	case <-proxy.cut:
	case <-time.After(20 * time.Second):
		t.Fatal("the client did not read the stream's first frame within 20s")
	}
	waitUntil(t, 10*time.Second, "the client's reconnect at the gate", func() bool { return proxy.Held() > 0 })
	const n = 5
	for i := range n {
		in.publish(t, fmt.Sprintf(`{"topic":%q,"type":"notification","data":{"user":"u","message":"m%d","level":"info"}}`, events.PublicTopic, i))
	}
	proxy.Release()

	var ids []string
	for i := range n {
		select {
		case e := <-got:
			if want := fmt.Sprintf(`"message":"m%d"`, i); e.Type != "notification" || !strings.Contains(e.Data, want) || e.LastEventID == "" {
				t.Fatalf("event %d: %+v, want a notification with %s and an id", i, e, want)
			}
			ids = append(ids, e.LastEventID)
		case <-time.After(10 * time.Second):
			t.Fatalf("the client got %d of the %d events published while it reconnected (ids %q)", i, n, ids)
		}
	}
	if reqs := proxy.Requests(); len(reqs) == 0 || strings.Contains(strings.ToLower(reqs[0]), "last-event-id:") {
		t.Errorf("the first request %q, want one without Last-Event-ID", reqs)
	}
}
