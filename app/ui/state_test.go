package ui

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/shared"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// history returns the History of events of the given type and data, ids
// from 1.
func history(bodies ...[2]string) shared.History {
	var h shared.History
	for i, b := range bodies {
		h.Events = append(h.Events, shared.HistoryEvent{ID: fmt.Sprint(i + 1), Type: b[0], Data: b[1]})
	}
	h.ID = fmt.Sprint(len(bodies))
	return h
}

func metricData(name string, v float64) [2]string {
	return [2]string{"metric", fmt.Sprintf(`{"name":%q,"value":%g,"unit":"","at":"2026-01-01T00:00:00Z"}`, name, v)}
}

func TestThePageStateIsEachPanelsFoldOfTheHistory(t *testing.T) {
	var bodies [][2]string
	for i := range maxSamples + 5 {
		bodies = append(bodies, metricData("cpu", float64(i)))
	}
	bodies = append(bodies, metricData("memory", 1),
		[2]string{"notification", `{"user":"ann","message":"hi","level":"info"}`},
		[2]string{"log", `{"at":"2026-01-01T00:00:00Z","level":"warn","text":"one"}`},
		[2]string{"progress", `{"job":"j1","done":1,"total":2,"state":"running"}`},
		[2]string{"progress", `{"job":"j1","done":2,"total":2,"state":"done"}`},
		[2]string{"probe", `{"t":1,"s":2,"pad":""}`})
	p, err := FoldPage(history(bodies...))
	if err != nil {
		t.Fatal(err)
	}
	cpu, _ := p.Metrics.Get("cpu")
	if strings.Join(p.Metrics.Keys, ",") != "cpu,memory" || len(cpu.Values) != maxSamples || cpu.Latest.Value != maxSamples+4 || cpu.Values[0] != 5 {
		t.Errorf("metrics %v, cpu %d values from %v, latest %v: want cpu then memory, the last %d samples", p.Metrics.Keys, len(cpu.Values), cpu.Values[0], cpu.Latest.Value, maxSamples)
	}
	if len(p.Feed.Items) != 1 || p.Feed.Items[0].Message != "hi" || len(p.Logs.Items) != 1 || p.Logs.Items[0].Text != "one" {
		t.Errorf("feed %+v, logs %+v: want the one of each", p.Feed.Items, p.Logs.Items)
	}
	if j, ok := p.Jobs.Get("j1"); !ok || j.State != events.Done || len(p.Jobs.Keys) != 1 {
		t.Errorf("jobs %+v: want j1 done", p.Jobs)
	}
}

func TestAnEventThatDoesNotDecodeFailsThePageState(t *testing.T) {
	if _, err := FoldPage(history([2]string{"log", `{"text":1}`})); err == nil || !strings.Contains(err.Error(), `event "1"`) {
		t.Errorf("error %v, want one that names the event", err)
	}
}

func TestTheStateElementCannotBeClosedByItsData(t *testing.T) {
	p := &Prerendered{URL: "/events?topic=logs", ID: "7", Types: pageTypes()}
	p.State.Logs = shared.NewLast[events.LogLine](2).Add(events.LogLine{Text: `</script><script>alert(1)</script>&`})
	html := strings.TrimSpace(app.HTMLString(stateElement(p)))
	body, ok := strings.CutPrefix(html, `<script type="application/json" id="herald-state">`)
	body, closed := strings.CutSuffix(body, `</script>`)
	if !ok || !closed || strings.ContainsAny(body, "<>&") {
		t.Fatalf("element %s: want the JSON with no <, > or &", html)
	}
	var back Prerendered
	if err := json.Unmarshal([]byte(body), &back); err != nil || back.State.Logs.Items[0].Text != p.State.Logs.Items[0].Text || back.ID != "7" {
		t.Errorf("the element's JSON %s reads back as %+v, %v", body, back, err)
	}
}
