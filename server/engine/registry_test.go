package engine

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestOpenBrokerPicksTheBrokerOfTheScheme(t *testing.T) {
	opened := errors.New("the test broker")
	RegisterBroker("registry-test", func(context.Context, string, *slog.Logger) (Broker, error) {
		return nil, opened
	})
	tests := []struct {
		name    string
		url     string
		memory  bool
		wantErr string
	}{
		{"an empty URL is the memory broker", "", true, ""},
		{"memory: is the memory broker", "memory:", true, ""},
		{"a registered scheme opens its broker", "registry-test://somewhere", false, "the test broker"},
		{"schemes are case-insensitive", "REGISTRY-TEST://somewhere", false, "the test broker"},
		{"an unknown scheme names the known ones", "redis://127.0.0.1:6379", false, "memory, registry-test"},
		{"a URL without a scheme is refused", "127.0.0.1", false, "has no scheme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := OpenBroker(context.Background(), tt.url, nil)
			if tt.memory {
				if _, ok := b.(*memoryBroker); !ok || err != nil {
					t.Fatalf("OpenBroker(%q) = %T, %v; want the memory broker", tt.url, b, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("OpenBroker(%q): %v, want an error with %q", tt.url, err, tt.wantErr)
			}
		})
	}
}

func TestRegisteringASchemeTwicePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a second RegisterBroker of memory did not panic")
		}
	}()
	RegisterBroker("memory", openMemory)
}
