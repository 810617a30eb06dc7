package ui

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/heraldhq/herald/app/eventsource"
	"github.com/heraldhq/herald/shared"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// maxSamples is how many samples of each metric the dashboard charts.
const maxSamples = 60

// Dashboard shows every metric the stream carries: its latest value and a
// chart of its recent samples, both updated in place as samples arrive.
type Dashboard struct {
	app.Compo

	// Source is the stream the metrics come from.
	Source *eventsource.Source
	// State is the page's state at the id Source resumes from, if any.
	State *PageState

	l       listening
	started bool
	metrics shared.Latest[Series] // a fold of metricsFold
}

// OnInit starts from the page's state.
func (d *Dashboard) OnInit() { d.takeState() }

// OnMount listens to the stream's metrics.
func (d *Dashboard) OnMount(ctx app.Context) { d.listen(ctx) }

// OnUpdate takes the page's state if it had none, and listens to a new
// Source.
func (d *Dashboard) OnUpdate(ctx app.Context) {
	d.takeState()
	d.listen(ctx)
}

// OnDismount stops listening.
func (d *Dashboard) OnDismount() { d.l.stop() }

func (d *Dashboard) takeState() {
	d.metrics = startFrom(&d.started, d.State, metricsFold, func(p *PageState) shared.Latest[Series] { return p.Metrics }, d.metrics)
}

func (d *Dashboard) listen(ctx app.Context) {
	d.l.to(d.Source, func(src *eventsource.Source) []func() {
		return []func(){eventsource.OnFold(src, metricsFold, func(change func(shared.Latest[Series]) shared.Latest[Series]) {
			ctx.Dispatch(func(ctx app.Context) {
				d.metrics = change(d.metrics)
				markRendered(ctx)
			})
		})}
	})
}

// Render draws a card per metric, in the order they first came.
func (d *Dashboard) Render() app.UI {
	names := d.metrics.Keys
	return app.Section().ID("metrics").Class("panel").Aria("labelledby", "metrics-title").Body(
		app.H2().ID("metrics-title").Text("Dashboard"),
		app.If(len(names) == 0, func() app.UI {
			return app.P().Class("empty").Text("Waiting for metrics…")
		}),
		app.Div().Class("cards").Body(
			app.Range(names).Slice(func(i int) app.UI { return renderSeries(d.metrics.Values[names[i]]) }),
		),
	)
}

// renderSeries draws a metric's card; a series with no value (from a page
// state that does not hold what it says) draws nothing.
func renderSeries(s Series) app.UI {
	if len(s.Values) == 0 {
		return nil
	}
	m := s.Latest
	lo, hi := slices.Min(s.Values), slices.Max(s.Values)
	label := fmt.Sprintf("%s over the last %d samples, from %s to %s %s", m.Name, len(s.Values), formatValue(lo), formatValue(hi), m.Unit)
	return app.Div().ID("metric-"+m.Name).Class("metric").Body(
		app.Div().Class("reading").Body(
			app.Span().Class("name").Text(m.Name),
			app.Span().Class("value").Text(formatValue(m.Value)),
			app.Span().Class("unit").Text(m.Unit),
		),
		chart(label, s.Values),
	)
}

// formatValue shows a value with two decimals, or none when it is whole.
func formatValue(v float64) string {
	if v == float64(int64(v)) {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}
