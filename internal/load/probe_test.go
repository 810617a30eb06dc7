package load

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestProbeFields(t *testing.T) {
	tests := []struct {
		name string
		data string
		t, s int64
		ok   bool
	}{
		{"a probe as published", `{"t":1764553200123456789,"s":42,"pad":"xx"}`, 1764553200123456789, 42, true},
		{"a probe in an envelope", `{"channel":"public","data":{"t":5,"s":6}}`, 5, 6, true},
		{"spaces after the colons", `{"t": 7, "s":  8}`, 7, 8, true},
		{"a negative time is not a probe's", `{"t":-3,"s":1}`, 0, 0, false},
		{"a negative sequence number is not a probe's: it would index no window", `{"t":3,"s":-1}`, 0, 0, false},
		{"no sequence number", `{"t":1}`, 0, 0, false},
		{"a string where a number goes", `{"t":"x","s":1}`, 0, 0, false},
		{"too many digits for an int64", `{"t":12345678901234567890123,"s":1}`, 0, 0, false},
		{"not a probe at all", `hello`, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gt, gs, ok := probeFields(tt.data)
			if ok != tt.ok || ok && (gt != tt.t || gs != tt.s) {
				t.Errorf("probeFields(%q) = %d, %d, %v; want %d, %d, %v", tt.data, gt, gs, ok, tt.t, tt.s, tt.ok)
			}
		})
	}
}

func TestPublishBodyIsWhatPOSTPublishTakes(t *testing.T) {
	type req struct {
		Topic, Type string
		Data        struct {
			T, S int64
			Pad  string
		}
	}
	one := publishBody(nil, []byte(`"a\"b"`), 9, 4, 1, 3)
	var r req
	if err := json.Unmarshal(one, &r); err != nil || r.Topic != `a"b` || r.Type != "probe" || r.Data.T != 9 || r.Data.S != 4 || r.Data.Pad != "xxx" {
		t.Errorf("one probe: %s decodes to %+v, %v", one, r, err)
	}
	many := publishBody(nil, []byte(`"t"`), 9, 10, 3, 0)
	var rs []req
	if err := json.Unmarshal(many, &rs); err != nil || len(rs) != 3 || rs[2].Data.S != 12 {
		t.Errorf("three probes: %s decodes to %+v, %v", many, rs, err)
	}
}

func FuzzProbeFields(f *testing.F) {
	f.Add(`{"t":1,"s":2}`)
	f.Add(`{"t":-,"s":99999999999999999999}`)
	f.Fuzz(func(t *testing.T, data string) {
		ts, s, ok := probeFields(data)
		if !ok {
			return
		}
		// What was found is the number written after each key.
		if !strings.Contains(data, `"t":`) || !strings.Contains(data, `"s":`) {
			t.Fatalf("probeFields(%q) found t=%d s=%d without both keys", data, ts, s)
		}
		back, _, _ := probeFields(string(appendProbe(nil, []byte(`"x"`), ts, s, 0)))
		if back != ts {
			t.Fatalf("t %d does not survive a round trip: %d", ts, back)
		}
	})
}
