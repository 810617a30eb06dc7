package main

import (
	"fmt"

	"github.com/heraldhq/herald/app/eventsource"
	"github.com/heraldhq/herald/app/fetch"
	"github.com/heraldhq/herald/examples/poll/events"
	"github.com/heraldhq/herald/shared"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Poll is the page: the question, a button per option with its votes, and
// the total, which follow the tallies the server streams.
type Poll struct {
	app.Compo

	src   *eventsource.Source
	tally events.Tally
	err   string
}

// OnMount opens the stream of the poll's topic. Each time it opens, and
// after a gap, the page fetches the tally: it gets the votes cast before,
// and those it missed.
func (p *Poll) OnMount(ctx app.Context) {
	src, err := eventsource.Open("/events?topic=" + events.Topic) // topic names need no escaping
	if err != nil {
		p.err = err.Error()
		return
	}
	p.src = src
	eventsource.On(src, events.TallyEvent, func(t events.Tally) { p.show(ctx, t, nil) })
	src.OnOpen(func() { p.call(ctx, "GET", "/tally", nil) })
	src.OnGap(func(shared.Gap) { p.call(ctx, "GET", "/tally", nil) })
}

// OnDismount closes the stream.
func (p *Poll) OnDismount() {
	if p.src != nil {
		p.src.Close()
	}
}

// call sends a request to the poll's API in the background, and shows the
// tally it answers, or what failed. Both GET /tally and POST /vote answer
// the tally.
func (p *Poll) call(ctx app.Context, method, path string, body any) {
	ctx.Async(func() {
		var t events.Tally
		err := fetch.JSON(ctx, method, path, body, &t)
		p.show(ctx, t, err)
	})
}

// show shows t, unless the page shows a newer tally already, or err.
func (p *Poll) show(ctx app.Context, t events.Tally, err error) {
	ctx.Dispatch(func(app.Context) {
		if err != nil {
			p.err = err.Error()
		} else if t.Total >= p.tally.Total {
			p.tally, p.err = t, ""
		}
	})
}

// Render shows the poll. Event data is only ever text.
func (p *Poll) Render() app.UI {
	return app.Main().Body(
		app.H1().Text(events.Question),
		app.Ul().Body(app.Range(events.Options).Slice(func(i int) app.UI {
			option := events.Options[i]
			return app.Li().Body(
				app.Button().ID("vote-"+option).Text(option).OnClick(func(ctx app.Context, _ app.Event) {
					p.call(ctx, "POST", "/vote", events.Vote{Option: option})
				}),
				app.Span().ID("votes-"+option).Text(fmt.Sprintf(" %d", p.tally.Votes[option])),
			)
		})),
		app.P().ID("total").Text(fmt.Sprintf("%d votes", p.tally.Total)),
		app.P().ID("error").Attr("role", "alert").Text(p.err),
	)
}
