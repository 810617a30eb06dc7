package natsbroker

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		name    string
		url     string
		want    Config
		wantErr string
	}{
		{"servers alone", "nats://a:4222,nats://b:4222", Config{URL: "nats://a:4222,nats://b:4222"}, ""},
		{"every setting", "tls://a:4222?stream=S&subject_prefix=p.q&max_events=10&max_bytes=2048&max_age=1h&replicas=3&dedupe_window=30s&timeout=2s",
			Config{URL: "tls://a:4222", Stream: "S", SubjectPrefix: "p.q", MaxEvents: 10, MaxBytes: 2048, MaxAge: time.Hour, Replicas: 3, DuplicateWindow: 30 * time.Second, Timeout: 2 * time.Second}, ""},
		{"an unknown parameter is named", "nats://a:4222?streams=S", Config{}, "parameter streams: unknown"},
		{"a bad number is named", "nats://a:4222?replicas=three", Config{}, "parameter replicas"},
		{"a bad duration is named", "nats://a:4222?max_age=forever", Config{}, "parameter max_age"},
		{"a password is not repeated", "nats://u:secret@a:4222?replicas=x", Config{}, "parameter replicas"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseURL(tt.url)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "secret") {
					t.Fatalf("ParseURL(%q): %v, want an error with %q and no password", tt.url, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseURL(%q) = %+v, want %+v", tt.url, got, tt.want)
			}
		})
	}
}

func TestCredsBecomeAConnectionOption(t *testing.T) {
	got, err := ParseURL("nats://a:4222?creds=/etc/herald/nats.creds")
	if err != nil || len(got.Options) != 1 {
		t.Fatalf("ParseURL with creds: %d options, %v; want 1", len(got.Options), err)
	}
}
