package engine

import (
	"strings"
	"testing"
	"time"
)

// A frame gives back the type and data it was encoded with, line breaks as
// a client reads them, whatever they are.
func FuzzFrameEvent(f *testing.F) {
	f.Add("log", `{"text":"a"}`)
	f.Add("log", "a\r\nb\rc\n")
	f.Add("x", "")
	f.Add("x", "data: forged\n\nid: 1")
	f.Fuzz(func(t *testing.T, typ, data string) {
		fr, err := encodeFrame(42, Message{Topic: "t", Type: typ, Data: []byte(data)}, time.Time{})
		if err != nil {
			return // a type the wire cannot carry
		}
		e, err := fr.Event()
		want := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(data)
		if err != nil || e.ID != "42" || e.Type != typ || e.Data != want {
			t.Errorf("event %+v, %v; want id 42, type %q, data %q", e, err, typ, want)
		}
	})
}
