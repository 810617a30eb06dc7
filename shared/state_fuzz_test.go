package shared

import (
	"encoding/json"
	"testing"
)

// A History from anywhere, folded, never panics: its events decode into
// their types or fail with an error.
func FuzzFoldHistory(f *testing.F) {
	f.Add([]byte(`{"id":"3","events":[{"id":"1","type":"reading","data":"{\"name\":\"a\",\"value\":1}"},{"id":"2","type":"line","data":"{\"text\":\"x\"}"}]}`))
	f.Add([]byte(`{"id":"1","since":"0","events":[{"id":"1","type":"line","data":"{\"text\":1}"}]}`))
	f.Add([]byte(`{"events":[{"type":"reading","data":"null"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var h History
		if json.Unmarshal(b, &h) != nil {
			return
		}
		fold := newTestFold(t, 2, 2)
		s, id, err := FoldHistory(fold, h)
		if err == nil && id != h.ID {
			t.Errorf("id %q, want the history's %q", id, h.ID)
		}
		if len(s.Lines.Items) > 2 || len(s.Readings.Keys) > 2 || len(s.Readings.Values) != len(s.Readings.Keys) {
			t.Errorf("state %+v past its bounds", s)
		}
	})
}
