// Package asyncapi describes a Herald server as an AsyncAPI 3.0 document: its
// event stream and publish endpoint, and every event type of its schema with
// a JSON Schema payload derived from the Go struct. Teams whose clients are
// not written in Go generate or check them against it.
package asyncapi

import (
	"encoding/json"

	"github.com/heraldhq/herald/shared"
)

// Version is the AsyncAPI version of the documents this package writes.
const Version = "3.0.0"

// Info names the server a document describes.
type Info struct {
	Title   string
	Version string
	// Host is where the server listens, host:port.
	Host string
}

// Document returns the AsyncAPI document of a server that publishes the event
// types of schema, as indented JSON (which is also YAML).
func Document(schema *shared.Schema, info Info) ([]byte, error) {
	types := append(schema.Types(), shared.GapEvent)
	messages := map[string]any{}
	channelMessages := map[string]any{}
	var received, sent []any
	for _, t := range types {
		messages[t.Name()] = message(t)
		channelMessages[t.Name()] = ref("#/components/messages/" + t.Name())
		received = append(received, ref("#/channels/topic/messages/"+t.Name()))
		if t.Name() != shared.GapEvent.Name() {
			sent = append(sent, ref("#/channels/topic/messages/"+t.Name()))
		}
	}
	doc := map[string]any{
		"asyncapi": Version,
		"info": map[string]any{
			"title":       info.Title,
			"version":     info.Version,
			"description": "Typed server-sent events. Subscribe with GET /events?topic=T (text/event-stream): each event's `event` field names its message and its `data` is the JSON payload. Publish with POST /publish.",
		},
		"servers": map[string]any{
			"herald": map[string]any{"host": info.Host, "protocol": "http"},
		},
		"defaultContentType": "application/json",
		"channels": map[string]any{
			"topic": map[string]any{
				"address":     "/events?topic={topic}",
				"description": "The events published to a topic. One stream may read several topics (repeat the parameter) and resumes with the Last-Event-ID header or the lastEventId parameter.",
				"parameters": map[string]any{
					"topic": map[string]any{"description": "Topic name: segments of letters, digits and -_.~ separated by /, such as public or user/alice."},
				},
				"messages": channelMessages,
			},
		},
		"operations": map[string]any{
			"receiveEvents": map[string]any{
				"action":   "receive",
				"channel":  ref("#/channels/topic"),
				"summary":  "Stream the events of topics: GET /events?topic=T, text/event-stream. A stream that resumes from an id the server no longer holds starts with herald.gap; herald.position events, with empty data, carry the id to resume from and need no listener.",
				"messages": received,
			},
			"publishEvent": map[string]any{
				"action":   "send",
				"channel":  ref("#/channels/topic"),
				"summary":  `Publish: POST /publish with {"topic": T, "type": NAME, "data": PAYLOAD}, or an array of them.`,
				"messages": sent,
			},
		},
		"components": map[string]any{"messages": messages},
	}
	return json.MarshalIndent(doc, "", "  ")
}

func message(t shared.Type) map[string]any {
	return map[string]any{
		"name":        t.Name(),
		"title":       t.GoType().Name(),
		"contentType": "application/json",
		"payload":     jsonSchema(t.GoType()),
	}
}

func ref(to string) map[string]any { return map[string]any{"$ref": to} }
