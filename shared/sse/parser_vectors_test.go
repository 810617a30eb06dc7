package sse

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// vectorsPath holds the wire-format vectors: cases from the web-platform-tests
// and the LaunchDarkly SSE contract tests.
var vectorsPath = filepath.Join("testdata", "event-stream-vectors.json")

// vector is one case of event-stream-vectors.json.
type vector struct {
	Name           string   `json:"name"`
	Input          string   `json:"input"`
	Chunks         []string `json:"chunks"`
	ExpectedEvents []struct {
		Type string `json:"type"`
		Data string `json:"data"`
		ID   string `json:"id"`
	} `json:"expected_events"`
	ExpectedRetryMS     *int64  `json:"expected_retry_ms"`
	ExpectedLastEventID *string `json:"expected_last_event_id"`
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	b, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatalf("read the wire-format vectors: %v", err)
	}
	var vs []vector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatalf("read %s: %v", vectorsPath, err)
	}
	if len(vs) == 0 {
		t.Fatalf("%s holds no vectors", vectorsPath)
	}
	return vs
}

func (v vector) events() []Event {
	var es []Event
	for _, e := range v.ExpectedEvents {
		es = append(es, Event{ID: e.ID, Type: e.Type, Data: e.Data})
	}
	return es
}

func TestVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		feeds := feedsOf(v.Input)
		if v.Chunks != nil {
			feeds = append(feeds, feed{"in its chunks", func() io.Reader { return &chunkReader{chunks: v.Chunks} }})
		}
		for _, f := range feeds {
			t.Run(v.Name+"/"+f.name, func(t *testing.T) {
				got := parseAll(t, f.open())
				if got.err != nil {
					t.Fatalf("error: %v", got.err)
				}
				assertEvents(t, got.events, v.events())
				if v.ExpectedRetryMS != nil {
					want := time.Duration(*v.ExpectedRetryMS) * time.Millisecond
					if !got.hasRetry || got.retry != want {
						t.Errorf("retry = %v (set %v), want %v", got.retry, got.hasRetry, want)
					}
				}
				if v.ExpectedLastEventID != nil && got.lastID != *v.ExpectedLastEventID {
					t.Errorf("last event ID = %q, want %q", got.lastID, *v.ExpectedLastEventID)
				}
			})
		}
	}
}

// TestVectorChunksMatchInput checks the vectors themselves: the chunks of a
// vector must add up to its input.
func TestVectorChunksMatchInput(t *testing.T) {
	for _, v := range loadVectors(t) {
		if v.Chunks == nil {
			continue
		}
		var all string
		for _, c := range v.Chunks {
			all += c
		}
		if all != v.Input {
			t.Errorf("%s: chunks give %q, input is %q", v.Name, all, v.Input)
		}
	}
}
