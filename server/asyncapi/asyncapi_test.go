package asyncapi_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	demo "github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server/asyncapi"
	"github.com/heraldhq/herald/shared"
)

func TestDocumentIsAsyncAPI3WithEveryTypeAndField(t *testing.T) {
	out, err := asyncapi.Document(demo.Schema, asyncapi.Info{Title: "Herald", Version: "test", Host: "127.0.0.1:8000"})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		AsyncAPI string `json:"asyncapi"`
		Info     struct{ Title, Version string }
		Channels map[string]struct {
			Address  string
			Messages map[string]struct {
				Ref string `json:"$ref"`
			}
		}
		Operations map[string]struct {
			Action  string
			Channel struct {
				Ref string `json:"$ref"`
			}
			Messages []struct {
				Ref string `json:"$ref"`
			}
		}
		Components struct {
			Messages map[string]struct {
				Name    string
				Payload struct {
					Type       string
					Properties map[string]map[string]any
				}
			}
		}
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("document is not JSON: %v", err)
	}
	if doc.AsyncAPI != "3.0.0" || doc.Info.Title == "" || doc.Info.Version == "" {
		t.Errorf("header = %q %+v, want asyncapi 3.0.0 with a title and version", doc.AsyncAPI, doc.Info)
	}
	ch, ok := doc.Channels["topic"]
	if !ok || !strings.Contains(ch.Address, "{topic}") {
		t.Fatalf("channels = %+v, want a topic channel with a {topic} address", doc.Channels)
	}
	for name, op := range map[string]string{"receiveEvents": "receive", "publishEvent": "send"} {
		o := doc.Operations[name]
		if o.Action != op || o.Channel.Ref != "#/channels/topic" || len(o.Messages) == 0 {
			t.Errorf("operation %s = %+v, want action %s on the topic channel", name, o, op)
		}
		for _, m := range o.Messages {
			if _, ok := ch.Messages[strings.TrimPrefix(m.Ref, "#/channels/topic/messages/")]; !ok {
				t.Errorf("operation %s refers to %s, not a message of the channel", name, m.Ref)
			}
		}
	}
	for _, typ := range append(demo.Schema.Types(), shared.GapEvent) {
		m, ok := doc.Components.Messages[typ.Name()]
		if !ok {
			t.Errorf("event type %s is missing", typ.Name())
			continue
		}
		if ref := ch.Messages[typ.Name()].Ref; ref != "#/components/messages/"+typ.Name() {
			t.Errorf("channel message %s refers to %q", typ.Name(), ref)
		}
		if m.Payload.Type != "object" {
			t.Errorf("%s payload type = %q, want object", typ.Name(), m.Payload.Type)
		}
		for _, field := range jsonFields(typ.GoType()) {
			if _, ok := m.Payload.Properties[field]; !ok {
				t.Errorf("%s payload lacks field %q", typ.Name(), field)
			}
		}
	}
}

func TestPayloadSchemasFollowTheGoTypes(t *testing.T) {
	out, _ := asyncapi.Document(demo.Schema, asyncapi.Info{Title: "t", Version: "v"})
	var doc struct {
		Components struct {
			Messages map[string]struct {
				Payload struct {
					Properties map[string]map[string]any
				}
			}
		}
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, message, field string
		want                 map[string]any
	}{
		{"a time is a date-time string", "metric", "at", map[string]any{"type": "string", "format": "date-time"}},
		{"a float is a number", "metric", "value", map[string]any{"type": "number"}},
		{"an int is an integer", "progress", "done", map[string]any{"type": "integer"}},
		{"a level lists its values", "notification", "level", map[string]any{"type": "string", "enum": []any{"info", "warn", "error"}}},
		{"a job state lists its values", "progress", "state", map[string]any{"type": "string", "enum": []any{"running", "done", "failed"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := doc.Components.Messages[c.message].Payload.Properties[c.field]
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s.%s = %v, want %v", c.message, c.field, got, c.want)
			}
		})
	}
}

// jsonFields returns the JSON names of a struct's fields.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		out = append(out, name)
	}
	return out
}
