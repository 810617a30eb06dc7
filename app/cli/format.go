//go:build !(js && wasm)

package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/shared"
	"github.com/heraldhq/herald/shared/sse"
)

// rawEvent is an event as tail --raw prints it.
type rawEvent struct {
	ID    string `json:"id"`
	Event string `json:"event"`
	Data  string `json:"data"`
}

// appendRaw appends e as one line of JSON. The parser gives valid UTF-8 only,
// so the JSON strings are exactly the event's.
func appendRaw(dst []byte, e sse.Event) []byte {
	b := bytes.NewBuffer(dst)
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(rawEvent{ID: e.ID, Event: e.Type, Data: e.Data}) // strings always encode
	return b.Bytes()
}

// appendPretty appends e as a line for people: its id, its type, and its
// data decoded if it is of a type of the demo schema or herald.gap, or else
// as it is.
func appendPretty(dst []byte, e sse.Event) []byte {
	if e.ID != "" {
		dst = fmt.Appendf(dst, "#%s ", e.ID)
	}
	dst = fmt.Appendf(dst, "%s: ", e.Type)
	text := strings.ReplaceAll(e.Data, "\n", "\n  ")
	if f, ok := formatters[e.Type]; ok {
		s, err := f(e.Data)
		if err != nil {
			return fmt.Appendf(dst, "%s (%v)\n", text, err)
		}
		text = s
	}
	return append(append(dst, text...), '\n')
}

// formatters decode and render the data of the demo schema's event types and
// of herald.gap, which the server sends when a resume id is too old.
var formatters = map[string]func(data string) (string, error){}

func init() {
	register(events.Notify, func(n events.Notification) string {
		if n.Level != "" && n.Level != events.Info {
			return fmt.Sprintf("%s: %s [%s]", n.User, n.Message, n.Level)
		}
		return fmt.Sprintf("%s: %s", n.User, n.Message)
	})
	register(events.MetricEvent, func(m events.Metric) string {
		return fmt.Sprintf("%s = %s at %s", m.Name, strings.TrimSpace(fmt.Sprintf("%.6g %s", m.Value, m.Unit)), m.At.Format(time.RFC3339Nano))
	})
	register(events.ProgressEvent, func(p events.Progress) string {
		return fmt.Sprintf("%s %d/%d %s", p.Job, p.Done, p.Total, p.State)
	})
	register(events.LogEvent, func(l events.LogLine) string {
		return fmt.Sprintf("%s %s %s", l.At.Format(time.RFC3339Nano), strings.ToUpper(l.Level), l.Text)
	})
	register(shared.GapEvent, func(g shared.Gap) string {
		oldest := "it holds none"
		if g.OldestID != "" {
			oldest = "the oldest it holds is " + g.OldestID
		}
		return fmt.Sprintf("events after %s may be missing: the server no longer has them (%s)", g.LastEventID, oldest)
	})
	register(shared.ProbeEvent, func(p shared.Probe) string {
		delay := time.Since(time.Unix(0, p.T)).Round(time.Microsecond)
		return fmt.Sprintf("seq %d, %v after it was published, %d bytes of padding", p.S, delay, len(p.Pad))
	})
}

// register makes events of type e print with f.
func register[T any](e shared.Event[T], f func(T) string) {
	formatters[e.Name()] = func(data string) (string, error) {
		v, err := e.Decode([]byte(data))
		if err != nil {
			return "", err
		}
		return f(v), nil
	}
}
