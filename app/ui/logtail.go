package ui

import (
	"fmt"
	"slices"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/app/eventsource"
	"github.com/heraldhq/herald/shared"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// maxLines is the number of log lines the tail keeps.
const maxLines = 200

// logLevels are the levels the filter offers, least severe first.
var logLevels = []string{"debug", "info", "warn", "error"}

// severity ranks a level; an unknown level ranks as info.
func severity(level string) int {
	if i := slices.Index(logLevels, level); i >= 0 {
		return i
	}
	return 1
}

// LogTail shows the last lines of a log as they come. It keeps the newest
// line in view until the user scrolls up, then holds still and counts what
// arrives until the user scrolls back down or resumes. A filter hides the
// lines below a level.
type LogTail struct {
	app.Compo

	// Source is the stream the log lines come from.
	Source *eventsource.Source
	// State is the page's state at the id Source resumes from, if any.
	State *PageState

	ctx     app.Context // the component's own: an element's dies with it
	l       listening
	started bool
	lines   shared.Last[events.LogLine] // a fold of logFold
	level   string                      // the least severe level shown; "" shows all
	paused  bool                        // the user scrolled up
	unseen  int                         // lines shown that arrived while paused
}

// OnInit starts from the page's state.
func (t *LogTail) OnInit() { t.takeState() }

// OnMount listens to the stream's log lines.
func (t *LogTail) OnMount(ctx app.Context) {
	t.ctx = ctx
	t.listen(ctx)
	if len(t.lines.Items) > 0 {
		t.scrollDown()
	}
}

// OnUpdate takes the page's state if it had none, and listens to a new
// Source.
func (t *LogTail) OnUpdate(ctx app.Context) {
	t.takeState()
	t.listen(ctx)
}

func (t *LogTail) takeState() {
	t.lines = startFrom(&t.started, t.State, logFold, func(p *PageState) shared.Last[events.LogLine] { return p.Logs }, t.lines)
}

// OnDismount stops listening.
func (t *LogTail) OnDismount() { t.l.stop() }

func (t *LogTail) listen(ctx app.Context) {
	t.l.to(t.Source, func(src *eventsource.Source) []func() {
		return []func(){eventsource.OnFold(src, logFold, func(change func(shared.Last[events.LogLine]) shared.Last[events.LogLine]) {
			ctx.Dispatch(func(ctx app.Context) {
				t.add(change)
				markRendered(ctx)
			})
		})}
	})
}

// add applies a line's change and keeps the newest line in view, or counts
// it while paused.
func (t *LogTail) add(change func(shared.Last[events.LogLine]) shared.Last[events.LogLine]) {
	t.lines = change(t.lines)
	n := len(t.lines.Items)
	if n == 0 {
		return
	}
	line := t.lines.Items[n-1]
	switch {
	case t.paused && t.shows(line):
		t.unseen++
	case !t.paused:
		t.scrollDown()
	}
}

// shows reports whether the filter lets line through.
func (t *LogTail) shows(line events.LogLine) bool {
	return t.level == "" || severity(line.Level) >= severity(t.level)
}

// scrollDown brings the newest line into view once the page is updated.
func (t *LogTail) scrollDown() {
	t.ctx.Defer(func(app.Context) {
		if el := app.Window().GetElementByID("log"); el.Truthy() {
			el.Set("scrollTop", el.Get("scrollHeight"))
		}
	})
}

// onScroll pauses when the user scrolls up, and resumes at the bottom.
func (t *LogTail) onScroll(ctx app.Context, _ app.Event) {
	el := ctx.JSSrc()
	bottom := el.Get("scrollTop").Float()+el.Get("clientHeight").Float() >= el.Get("scrollHeight").Float()-8
	t.paused = !bottom
	if bottom {
		t.unseen = 0
	}
}

func (t *LogTail) resume(app.Context, app.Event) {
	t.paused, t.unseen = false, 0
	t.scrollDown()
}

func (t *LogTail) filter(ctx app.Context, _ app.Event) {
	t.level = ctx.JSSrc().Get("value").String()
	if !t.paused {
		t.scrollDown()
	}
}

// Render draws the filter, the lines and, while paused, the way back.
func (t *LogTail) Render() app.UI {
	var shown []events.LogLine
	for _, line := range t.lines.Items {
		if t.shows(line) {
			shown = append(shown, line)
		}
	}
	return app.Section().ID("logs").Class("panel").Aria("labelledby", "logs-title").Body(
		app.Div().Class("panel-head").Body(
			app.H2().ID("logs-title").Text("Log tail"),
			app.Label().For("log-level").Class("filter").Body(
				app.Span().Text("Level "),
				app.Select().ID("log-level").OnChange(t.filter).Body(
					app.Option().Value("debug").Selected(t.level == "" || t.level == "debug").Text("all"),
					app.Option().Value("info").Selected(t.level == "info").Text("info and up"),
					app.Option().Value("warn").Selected(t.level == "warn").Text("warn and up"),
					app.Option().Value("error").Selected(t.level == "error").Text("error"),
				),
			),
		),
		app.Ol().ID("log").Class("log").TabIndex(0).Aria("label", "Log lines, newest last").OnScroll(t.onScroll).Body(
			app.Range(shown).Slice(func(i int) app.UI { return renderLogLine(shown[i]) }),
		),
		app.If(t.paused, func() app.UI {
			return app.Button().ID("log-resume").Class("resume").OnClick(t.resume).
				Text(fmt.Sprintf("Paused · %d new · back to the newest", t.unseen))
		}),
	)
}

func renderLogLine(line events.LogLine) app.UI {
	level := line.Level
	if level == "" {
		level = "info"
	}
	return app.Li().Class("line "+level).Body(
		app.Time().Class("at").DateTime(line.At.Format(time.RFC3339)).Text(line.At.Local().Format(time.TimeOnly)),
		app.Span().Class("level").Text(level),
		app.Span().Class("text").Text(line.Text),
	)
}
