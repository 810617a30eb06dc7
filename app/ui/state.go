package ui

import (
	"encoding/json"
	"fmt"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/shared"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Each panel's state is a fold of the stream's events: the server folds its
// history into the page it renders, and the panel goes on folding the
// events of the stream resumed from the same id.

// maxMetrics is how many metrics the dashboard keeps.
const maxMetrics = 32

// Series is one metric's state: its latest sample and its recent values,
// oldest first, at most maxSamples.
type Series struct {
	Latest events.Metric `json:"latest"`
	Values []float64     `json:"values"`
}

// addMetric folds a sample into the series of its metric.
func addMetric(s shared.Latest[Series], m events.Metric) shared.Latest[Series] {
	cur, _ := s.Get(m.Name)
	cur.Latest = m
	cur.Values = append(cur.Values, m.Value)
	if over := len(cur.Values) - maxSamples; over > 0 {
		cur.Values = cur.Values[over:]
	}
	return s.Set(m.Name, cur)
}

// The panels' folds.
var (
	// metricsFold is the dashboard's: each metric's series, in the order
	// the metrics first came.
	metricsFold = shared.MustFold(func() shared.Latest[Series] { return shared.NewLatest[Series](maxMetrics) },
		shared.On(events.MetricEvent, addMetric))
	// feedFold is the notifications': the last maxFeed, oldest first.
	feedFold = shared.MustFold(func() shared.Last[events.Notification] { return shared.NewLast[events.Notification](maxFeed) },
		shared.On(events.Notify, shared.Last[events.Notification].Add))
	// logFold is the log tail's: the last maxLines lines.
	logFold = shared.MustFold(func() shared.Last[events.LogLine] { return shared.NewLast[events.LogLine](maxLines) },
		shared.On(events.LogEvent, shared.Last[events.LogLine].Add))
	// jobsFold is the jobs': the latest progress of the last maxJobs jobs,
	// in the order they started.
	jobsFold = shared.MustFold(func() shared.Latest[events.Progress] { return shared.NewLatest[events.Progress](maxJobs) },
		shared.On(events.ProgressEvent, func(s shared.Latest[events.Progress], p events.Progress) shared.Latest[events.Progress] {
			return s.Set(p.Job, p)
		}))
)

// PageState is the state of every panel, folded at one event id.
type PageState struct {
	Metrics shared.Latest[Series]            `json:"metrics"`
	Feed    shared.Last[events.Notification] `json:"feed"`
	Logs    shared.Last[events.LogLine]      `json:"logs"`
	Jobs    shared.Latest[events.Progress]   `json:"jobs"`
}

// FoldPage returns the state of every panel after the events of h.
func FoldPage(h shared.History) (PageState, error) {
	var p PageState
	var err error
	if p.Metrics, _, err = shared.FoldHistory(metricsFold, h); err != nil {
		return p, err
	}
	if p.Feed, _, err = shared.FoldHistory(feedFold, h); err != nil {
		return p, err
	}
	if p.Logs, _, err = shared.FoldHistory(logFold, h); err != nil {
		return p, err
	}
	p.Jobs, _, err = shared.FoldHistory(jobsFold, h)
	return p, err
}

// pageTypes returns the event types the page listens to on its stream:
// every type of the schema (the status shows the id of each event) and the
// gap notice, which a Source may listen to as well.
func pageTypes() []string {
	types := []string{shared.GapEvent.Name()}
	for _, t := range events.Schema.Types() {
		types = append(types, t.Name())
	}
	return types
}

// StateElementID is the id of the element of a page rendered with its state.
const StateElementID = "herald-state"

// Prerendered is what the #herald-state element holds: the stream the page
// opens (without its lastEventId), the id the state was folded at, the
// event types the page listens to and the state.
type Prerendered struct {
	URL   string    `json:"url"`
	ID    string    `json:"id"`
	Types []string  `json:"types"`
	State PageState `json:"state"`
}

// PageHistory returns the history of the page's topics that the server
// renders into the page, when set: the server binary sets it. Only the
// public topics are rendered: a page rendered on the server is the same
// for every reader, and it may be served from a cache.
var PageHistory func(topics []string) (shared.History, error)

// prerender returns the state of the page's public topics, or nil when the
// server has none to give.
func prerender() (*Prerendered, error) {
	if PageHistory == nil {
		return nil, nil
	}
	h, err := PageHistory(events.PublicTopics())
	if err != nil {
		return nil, fmt.Errorf("prerender the page's state: %w", err)
	}
	state, err := FoldPage(h)
	if err != nil {
		return nil, fmt.Errorf("prerender the page's state at %s: %w", h.ID, err)
	}
	return &Prerendered{URL: streamURL(""), ID: h.ID, Types: pageTypes(), State: state}, nil
}

// stateElement renders p as the #herald-state element: JSON that
// encoding/json escapes (<, > and & among others), so that nothing in it can
// close the element early.
func stateElement(p *Prerendered) app.UI {
	b, err := json.Marshal(p)
	if err != nil {
		return nil
	}
	return app.Raw(`<script type="application/json" id="` + StateElementID + `">` + string(b) + `</script>`)
}

// readPrerendered returns the state of the #herald-state element of the
// page the server rendered, nil when there is none or it does not decode.
// It must run before the app replaces the rendered body.
func readPrerendered() *Prerendered {
	el := app.Window().GetElementByID(StateElementID)
	if !el.Truthy() {
		return nil
	}
	var p Prerendered
	if err := json.Unmarshal([]byte(el.Get("textContent").String()), &p); err != nil {
		app.Log("read the page's state:", err)
		return nil
	}
	return &p
}

// startFrom returns the state a panel starts from, once: its part of the
// page's state when there is one, else the fold's initial state. Until then,
// and after, it returns cur.
func startFrom[S any](started *bool, page *PageState, f *shared.Fold[S], part func(*PageState) S, cur S) S {
	if *started {
		return cur
	}
	if page == nil {
		if app.IsServer {
			return f.Initial() // the state may come with the prerender
		}
		*started = true
		return f.Initial()
	}
	*started = true
	return part(page)
}
