package server

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// scanSeeds are bodies of every shape scanPublish meets.
var scanSeeds = []string{
	`{"topic":"public","type":"probe","data":{"t":1,"s":2,"pad":"x"}}`,
	` [ {"data" : {"a":"}]{[\""}, "type":"log","topic":"t"} ,{"topic":"u","type":"log","data":{}} ] `,
	`[{"topic":"a","type":"b","data":{"x":[1,{"y":"\\"}]}},{"topic":"a","type":"b","data":{}}]`,
	`{"Topic":"public","type":"probe","data":{}}`,
	`{"topic":"a","topic":"b","type":"probe","data":{}}`,
	`{"topic":"a","type":"probe","data":{},"x":1}`,
	`{"topic":"a\u0062","type":"probe","data":{}}`,
	`{"topic":"a","type":"probe","data":null}`,
	`{"topic":"a","type":"probe","data":{"a":1}} {}`,
	`{"topic":"a","type":"probe","data":{"a":1]}`,
	`[{"topic":"a","type":"probe","data":{}},]`,
	`[]`, `{`, `[`, `null`, `"x"`,
}

// FuzzScanPublish checks scanPublish against the strict decoder: a body it
// reads, with data that is valid JSON, the strict decoder reads as the same
// messages.
func FuzzScanPublish(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkScan(t, body)
	})
}

func TestScanPublishReadsWhatTheStrictDecoderReads(t *testing.T) {
	for _, s := range scanSeeds {
		t.Run(s, func(t *testing.T) { checkScan(t, []byte(s)) })
	}
}

func TestScanPublishLeavesTheUnusualToTheStrictDecoder(t *testing.T) {
	cases := []struct{ name, body string }{
		{"a member named in capitals", `{"Topic":"public","type":"probe","data":{}}`},
		{"a member twice", `{"topic":"a","topic":"b","type":"probe","data":{}}`},
		{"an unknown member", `{"topic":"a","type":"probe","data":{},"x":1}`},
		{"an escape in the topic", `{"topic":"a\u0062","type":"probe","data":{}}`},
		{"data that is not an object", `{"topic":"a","type":"probe","data":null}`},
		{"a missing member", `{"topic":"a","type":"probe"}`},
		{"trailing data", `{"topic":"a","type":"probe","data":{}} {}`},
		{"a trailing comma", `[{"topic":"a","type":"probe","data":{}},]`},
		{"an empty array", `[]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if msgs, ok := scanPublish([]byte(c.body), isArray([]byte(c.body))); ok {
				t.Errorf("scanPublish read %q as %+v", c.body, msgs)
			}
		})
	}
}

// checkScan fails t if scanPublish reads body, with data that is all valid
// JSON, other than as the strict decoder does.
func checkScan(t *testing.T, body []byte) {
	batch := isArray(body)
	msgs, ok := scanPublish(body, batch)
	if !ok {
		return
	}
	for _, m := range msgs {
		if !json.Valid(m.Data) {
			return // the schema's strict decoding refuses it, and the strict decoder reads the body again
		}
	}
	reqs, err := decodePublish(body, batch)
	if err != nil {
		t.Fatalf("scanPublish read %q, the strict decoder refuses it: %v", body, err)
	}
	if len(reqs) != len(msgs) {
		t.Fatalf("scanPublish read %d messages in %q, the strict decoder %d", len(msgs), body, len(reqs))
	}
	for i, r := range reqs {
		m := msgs[i]
		if r.Topic != m.Topic || r.Type != m.Type || !bytes.Equal(r.Data, m.Data) {
			t.Fatalf("message %d of %q: scanPublish read %q %q %s, the strict decoder %q %q %s",
				i, body, m.Topic, m.Type, m.Data, r.Topic, r.Type, r.Data)
		}
	}
}

func TestABatchOfBracesCannotMakeTheScannerAllocateMoreThanItsSize(t *testing.T) {
	body := []byte(`[{"topic":"public","type":"notification","data":{"text":"` + strings.Repeat("{", 1<<20) + `"}}]`)
	if got, limit := batchCap(body), len(body)/len(shortestMessage)+1; got > limit {
		t.Fatalf("batchCap = %d messages for a body of %d bytes; at most %d fit", got, len(body), limit)
	}
	if got := batchCap([]byte(`[{"topic":"a","type":"b","data":{}},{"topic":"a","type":"b","data":{}}]`)); got < 2 {
		t.Fatalf("batchCap of two shortest messages = %d; it must hold both", got)
	}
}
