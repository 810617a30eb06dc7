package ui

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/heraldhq/herald/app/eventsource"
	"github.com/heraldhq/herald/shared"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// StreamURL is the event stream the home page reads.
const StreamURL = "/events?topic=public&topic=metrics&topic=logs"

// maxFeed is the number of notifications the feed keeps.
const maxFeed = 50

// Home is the demo page: the connection status, the latest value of each
// metric and the notifications feed.
type Home struct {
	app.Compo

	src     *eventsource.Source
	status  string
	lastID  string
	metrics map[string]shared.Metric
	feed    []shared.Notification
}

// OnMount opens the event stream. It runs in the browser only.
func (h *Home) OnMount(ctx app.Context) {
	h.status = "connecting"
	h.metrics = map[string]shared.Metric{}
	src, err := eventsource.Open(StreamURL)
	if err != nil {
		h.status = "unsupported: " + err.Error()
		return
	}
	h.src = src
	src.OnOpen(func() { ctx.Dispatch(func(app.Context) { h.status = "live" }) })
	src.OnError(func(err error) {
		state := src.ReadyState()
		ctx.Dispatch(func(app.Context) { h.status = statusAfterError(state) })
		app.Log("event stream:", err)
	})
	eventsource.On(src, shared.MetricEvent, func(m shared.Metric) {
		id := src.LastEventID()
		ctx.Dispatch(func(app.Context) {
			h.metrics[m.Name] = m
			h.lastID = id
		})
	})
	eventsource.On(src, shared.Notify, func(n shared.Notification) {
		id := src.LastEventID()
		ctx.Dispatch(func(app.Context) {
			h.feed = append([]shared.Notification{n}, h.feed[:min(len(h.feed), maxFeed-1)]...)
			h.lastID = id
		})
	})
}

// OnDismount closes the stream and releases its JS functions.
func (h *Home) OnDismount() {
	if h.src != nil {
		h.src.Close()
	}
}

func statusAfterError(state eventsource.ReadyState) string {
	if state == eventsource.StateClosed {
		return "offline"
	}
	return "reconnecting"
}

// Render draws the page. Event data is only ever rendered as text.
func (h *Home) Render() app.UI {
	return app.Main().Class("page").Body(
		app.Header().Class("bar").Body(
			app.H1().Text("Herald"),
			app.P().ID("status").Class("status "+h.status).Body(
				app.Text(h.status),
				app.If(h.lastID != "", func() app.UI {
					return app.Span().Class("last-id").Text(" · last event " + h.lastID)
				}),
			),
		),
		app.Section().ID("metrics").Aria("label", "Metrics").Body(
			app.H2().Text("Metrics"),
			app.Range(h.metricNames()).Slice(func(i int) app.UI {
				return h.renderMetric(h.metrics[h.metricNames()[i]])
			}),
		),
		app.Section().ID("notifications").Aria("label", "Notifications").Body(
			app.H2().Text("Notifications"),
			app.Ul().ID("feed").Aria("live", "polite").Body(
				app.Range(h.feed).Slice(func(i int) app.UI {
					return renderNotification(h.feed[i])
				}),
			),
		),
	)
}

func (h *Home) metricNames() []string {
	names := make([]string, 0, len(h.metrics))
	for n := range h.metrics {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (h *Home) renderMetric(m shared.Metric) app.UI {
	return app.Div().ID("metric-"+m.Name).Class("metric").Body(
		app.Span().Class("name").Text(m.Name),
		app.Span().Class("value").Text(strconv.FormatFloat(m.Value, 'f', 2, 64)),
		app.Span().Class("unit").Text(m.Unit),
	)
}

func renderNotification(n shared.Notification) app.UI {
	level := n.Level
	if level == "" {
		level = shared.Info
	}
	return app.Li().Class(fmt.Sprintf("notification %s", level)).Body(
		app.Strong().Class("user").Text(n.User),
		app.Span().Class("message").Text(n.Message),
	)
}
