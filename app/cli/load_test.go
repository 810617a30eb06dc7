//go:build !(js && wasm)

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/internal/load"
	"github.com/heraldhq/herald/server"
)

func TestLoadAgainstHerald(t *testing.T) {
	srv, err := server.New(server.Config{Schema: events.Schema, PublishToken: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	defer srv.Drain()
	var stdout, stderr bytes.Buffer
	code := Load(context.Background(), []string{hs.URL, "--token", "secret", "--topic", events.PublicTopic, "--streams", "10",
		"--events", "50", "--batch", "5", "--settle", "1ms", "--pid", "-1", "--json", "--duration", "30s"}, &stdout, &stderr)
	var res load.Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil || code != 0 {
		t.Fatalf("exit %d, result %v; stdout:\n%s\nstderr:\n%s", code, err, stdout.String(), stderr.String())
	}
	if res.Delivered != 10*50 || res.Lost != 0 || res.Latency.P99 <= 0 {
		t.Errorf("delivered %d, lost %d, p99 %v; want 500, 0 and a latency", res.Delivered, res.Lost, res.Latency.P99)
	}
}

func TestLoadUsage(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"-help prints the usage", []string{"-help"}, exitOK, "Usage: herald load"},
		{"two URLs are refused", []string{"a:1", "b:2"}, exitUsage, "want at most one URL"},
		{"an unknown flag is refused", []string{"--nope"}, exitUsage, "flag provided but not defined"},
		{"a bad configuration fails before connecting", []string{"127.0.0.1:1", "--streams", "-5"}, exitError, "streams -5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Load(context.Background(), tt.args, &stdout, &stderr)
			if code != tt.code || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr.String(), tt.code, tt.stderr)
			}
		})
	}
}
