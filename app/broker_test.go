//go:build !(js && wasm)

package main

import (
	"testing"
	"time"
)

func TestTheNATSFlagsBecomeParametersOfTheBrokerURL(t *testing.T) {
	c := brokerConfig{natsStream: "HERALD", natsMaxEvents: 10, natsMaxBytes: 20, natsMaxAge: time.Hour, natsReplicas: 3, natsDedupWindow: time.Minute}
	tests := []struct{ name, broker, want string }{
		{"memory is left as it is", "memory:", "memory:"},
		{"NATS servers get every setting", "nats://a:4222,nats://b:4222",
			"nats://a:4222,nats://b:4222?dedupe_window=1m0s&max_age=1h0m0s&max_bytes=20&max_events=10&replicas=3&stream=HERALD"},
		{"a parameter of the URL wins over its flag", "tls://a:4222?stream=OTHER",
			"tls://a:4222?dedupe_window=1m0s&max_age=1h0m0s&max_bytes=20&max_events=10&replicas=3&stream=OTHER"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.broker = tt.broker
			if got := c.url(); got != tt.want {
				t.Errorf("url() = %q, want %q", got, tt.want)
			}
		})
	}
}
