package events

import (
	"strings"
	"testing"
)

func TestTheSchemaChecksTheDemosEvents(t *testing.T) {
	cases := []struct {
		name, eventType, data string
		wantErr               string
	}{
		{"a notification", "notification", `{"user":"ann","message":"hi","level":"warn"}`, ""},
		{"a notification without a level", "notification", `{"user":"ann","message":"hi"}`, ""},
		{"a notification of an unknown level", "notification", `{"user":"ann","message":"hi","level":"loud"}`, `level "loud"`},
		{"a job's progress", "progress", `{"job":"a1","done":3,"total":20,"state":"running"}`, ""},
		{"progress past its total", "progress", `{"job":"a1","done":21,"total":20,"state":"running"}`, "out of range"},
		{"progress of an unknown state", "progress", `{"job":"a1","done":0,"total":20,"state":"paused"}`, `state "paused"`},
		{"a log line", "log", `{"at":"2026-01-01T00:00:00Z","level":"warn","text":"request refused status=401"}`, ""},
		{"a log line with a field it does not have", "log", `{"at":"2026-01-01T00:00:00Z","level":"warn","text":"x","user":"ann"}`, "unknown field"},
		{"a metric", "metric", `{"name":"streams","value":2,"unit":"","at":"2026-01-01T00:00:00Z"}`, ""},
		{"a probe of the load generator", "probe", `{"t":1,"s":2,"pad":""}`, ""},
		{"a type the demo does not have", "tick", `{}`, `unknown event type "tick"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Schema.Canonical(c.eventType, []byte(c.data))
			if (err == nil) != (c.wantErr == "") || (err != nil && !strings.Contains(err.Error(), c.wantErr)) {
				t.Errorf("%s %s: error %v, want one with %q", c.eventType, c.data, err, c.wantErr)
			}
		})
	}
}
