package ui

import (
	"fmt"
	"math"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/app/eventsource"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Status shows the state of the connection: connecting, live, reconnecting
// with a countdown to the next attempt, or offline; and the id of the last
// event received.
type Status struct {
	app.Compo

	// Source is the stream whose state is shown.
	Source *eventsource.Source
	// StateID is the id of the state the page was rendered with, "" when
	// none: the last event shown until Source says otherwise.
	StateID string

	l        listening
	state    eventsource.ReadyState
	retryAt  time.Time
	lastID   string
	offline  bool
	ticking  bool
	onOnline app.Func
}

// OnMount follows the browser's online and offline events and the Source.
func (s *Status) OnMount(ctx app.Context) {
	s.offline = !app.Window().Get("navigator").Get("onLine").Bool()
	s.onOnline = app.FuncOf(func(app.Value, []app.Value) any {
		online := app.Window().Get("navigator").Get("onLine").Bool()
		ctx.Dispatch(func(app.Context) { s.offline = !online })
		return nil
	})
	app.Window().Call("addEventListener", "online", s.onOnline)
	app.Window().Call("addEventListener", "offline", s.onOnline)
	s.listen(ctx)
}

// OnUpdate follows a new Source.
func (s *Status) OnUpdate(ctx app.Context) { s.listen(ctx) }

// OnDismount stops following.
func (s *Status) OnDismount() {
	s.l.stop()
	app.Window().Call("removeEventListener", "online", s.onOnline)
	app.Window().Call("removeEventListener", "offline", s.onOnline)
	s.onOnline.Release()
}

func (s *Status) listen(ctx app.Context) {
	s.l.to(s.Source, func(src *eventsource.Source) []func() {
		s.state, s.retryAt, s.lastID = src.ReadyState(), src.RetryAt(), src.LastEventID()
		changed := func() {
			state, at := src.ReadyState(), src.RetryAt()
			ctx.Dispatch(func(ctx app.Context) {
				s.state, s.retryAt = state, at
				s.tick(ctx)
			})
		}
		src.OnOpen(changed)
		src.OnError(func(error) { changed() })
		// Every event type of the schema, decoded into nothing: to show the
		// last event id as it moves.
		var removes []func()
		for _, t := range events.Schema.Types() {
			removes = append(removes, eventsource.On(src, arrival(t.Name()), func(struct{}) {
				id := src.LastEventID()
				ctx.Dispatch(func(app.Context) { s.lastID = id })
			}))
		}
		return removes
	})
}

// tick redraws the countdown every second while there is one.
func (s *Status) tick(ctx app.Context) {
	if s.ticking || s.retryAt.IsZero() {
		return
	}
	s.ticking = true
	ctx.After(time.Second, func(ctx app.Context) {
		s.ticking = false
		if s.l.src != nil {
			s.retryAt = s.l.src.RetryAt()
		}
		s.tick(ctx)
	})
}

// arrival is the descriptor of an event type that decodes nothing, for a
// listener that only needs to know that an event came.
type arrival string

// Name returns the event type.
func (a arrival) Name() string { return string(a) }

// Decode decodes nothing.
func (arrival) Decode([]byte) (struct{}, error) { return struct{}{}, nil }

// label returns the state's name, its CSS class, and the countdown, if any.
func (s *Status) label(now time.Time) (state, countdown string) {
	switch {
	case s.offline:
		return "offline", ""
	case s.Source == nil || s.state == eventsource.StateClosed:
		return "connecting", ""
	case s.state == eventsource.StateOpen:
		return "live", ""
	case !s.retryAt.IsZero():
		secs := int(math.Ceil(s.retryAt.Sub(now).Seconds()))
		if secs <= 0 {
			return "reconnecting", " now"
		}
		return "reconnecting", fmt.Sprintf(" in %d s", secs)
	}
	return "connecting", ""
}

// Render draws the status. Only the state's name is in the live region, so
// that a screen reader hears changes of state, not every second and event.
func (s *Status) Render() app.UI {
	state, countdown := s.label(time.Now())
	return app.P().ID("status").Class("status "+state).Body(
		app.Span().Class("dot").Aria("hidden", true),
		app.Span().Class("state").Attr("role", "status").Text(state),
		app.If(countdown != "", func() app.UI {
			return app.Span().Class("countdown").Text(countdown)
		}),
		app.If(s.lastID != "" || s.StateID != "", s.renderLastID),
	)
}

// renderLastID draws the id of the last event shown: until the stream
// brings one, the id of the state the page was rendered with. Its first
// paint, the server's page's or the app's, is when the page first shows
// its current state: the Element Timing API reports it as "herald-state".
func (s *Status) renderLastID() app.UI {
	id := s.lastID
	if id == "" {
		id = s.StateID
	}
	return app.Span().Class("last-id").Text(" · last event "+id).Attr("elementtiming", StateElementID)
}
