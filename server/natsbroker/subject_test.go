package natsbroker_test

import (
	"strings"
	"testing"

	"github.com/heraldhq/herald/server/natsbroker"
)

func TestTopicsMapOntoSubjectTokensAndBack(t *testing.T) {
	tests := []struct{ topic, tokens string }{
		{"public", "public"},
		{"user/alice", "user.alice"},
		{"v1.2", "v1%2E2"},
		{"a~b_c-d/e.f/g", "a~b_c-d.e%2Ef.g"},
		{"..", "%2E%2E"},
	}
	for _, tt := range tests {
		t.Run(tt.topic, func(t *testing.T) {
			got := natsbroker.EncodeTopic(tt.topic)
			if got != tt.tokens {
				t.Fatalf("EncodeTopic(%q) = %q, want %q", tt.topic, got, tt.tokens)
			}
			if strings.ContainsAny(got, "*> \t") {
				t.Errorf("tokens %q hold a character NATS forbids", got)
			}
			back, err := natsbroker.DecodeTopic(got)
			if err != nil || back != tt.topic {
				t.Errorf("DecodeTopic(%q) = %q, %v; want %q", got, back, err, tt.topic)
			}
		})
	}
}

func TestSubjectTokensThatNoTopicMapsOntoAreRefused(t *testing.T) {
	tests := []struct{ name, tokens string }{
		{"an empty subject", ""},
		{"an empty token", "a..b"},
		{"a lowercase escape", "a%2eb"},
		{"an escape of something else", "a%41"},
		{"a wildcard", "a.*"},
		{"a character no topic has", "a+b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if topic, err := natsbroker.DecodeTopic(tt.tokens); err == nil {
				t.Errorf("DecodeTopic(%q) = %q, want an error", tt.tokens, topic)
			}
		})
	}
}
