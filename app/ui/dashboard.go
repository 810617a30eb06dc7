package ui

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/app/eventsource"
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

	l      listening
	names  []string // in the order the metrics first came, so cards stay put
	series map[string]*series
}

// series is the recent samples of one metric.
type series struct {
	latest events.Metric
	values []float64
}

// add appends m, dropping the oldest sample past maxSamples.
func (s *series) add(m events.Metric) {
	s.latest = m
	s.values = append(s.values, m.Value)
	if len(s.values) > maxSamples {
		s.values = slices.Delete(s.values, 0, len(s.values)-maxSamples)
	}
}

// OnMount listens to the stream's metrics.
func (d *Dashboard) OnMount(ctx app.Context) { d.listen(ctx) }

// OnUpdate listens to a new Source.
func (d *Dashboard) OnUpdate(ctx app.Context) { d.listen(ctx) }

// OnDismount stops listening.
func (d *Dashboard) OnDismount() { d.l.stop() }

func (d *Dashboard) listen(ctx app.Context) {
	d.l.to(d.Source, func(src *eventsource.Source) []func() {
		return []func(){eventsource.On(src, events.MetricEvent, func(m events.Metric) {
			ctx.Dispatch(func(ctx app.Context) {
				d.add(m)
				markRendered(ctx)
			})
		})}
	})
}

func (d *Dashboard) add(m events.Metric) {
	if d.series == nil {
		d.series = map[string]*series{}
	}
	s := d.series[m.Name]
	if s == nil {
		s = &series{}
		d.series[m.Name] = s
		d.names = append(d.names, m.Name)
	}
	s.add(m)
}

// Render draws a card per metric, in the order they first came.
func (d *Dashboard) Render() app.UI {
	names := d.names
	return app.Section().ID("metrics").Class("panel").Aria("labelledby", "metrics-title").Body(
		app.H2().ID("metrics-title").Text("Dashboard"),
		app.If(len(names) == 0, func() app.UI {
			return app.P().Class("empty").Text("Waiting for metrics…")
		}),
		app.Div().Class("cards").Body(
			app.Range(names).Slice(func(i int) app.UI { return renderSeries(d.series[names[i]]) }),
		),
	)
}

func renderSeries(s *series) app.UI {
	m := s.latest
	lo, hi := slices.Min(s.values), slices.Max(s.values)
	label := fmt.Sprintf("%s over the last %d samples, from %s to %s %s", m.Name, len(s.values), formatValue(lo), formatValue(hi), m.Unit)
	return app.Div().ID("metric-"+m.Name).Class("metric").Body(
		app.Div().Class("reading").Body(
			app.Span().Class("name").Text(m.Name),
			app.Span().Class("value").Text(formatValue(m.Value)),
			app.Span().Class("unit").Text(m.Unit),
		),
		chart(label, s.values),
	)
}

// formatValue shows a value with two decimals, or none when it is whole.
func formatValue(v float64) string {
	if v == float64(int64(v)) {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}
