package main

import (
	"fmt"
	"net/url"

	"github.com/heraldhq/herald/app/eventsource"
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

// OnMount opens the stream of the poll's topic, and fetches the tally each
// time it opens and after a gap: a page that starts, or missed events, gets
// the votes cast before.
func (p *Poll) OnMount(ctx app.Context) {
	src, err := eventsource.Open("/events?topic=" + url.QueryEscape(events.Topic))
	if err != nil {
		p.err = err.Error()
		return
	}
	p.src = src
	eventsource.On(src, events.TallyEvent, func(t events.Tally) {
		ctx.Dispatch(func(app.Context) { p.show(t) })
	})
	src.OnOpen(func() { p.fetchTally(ctx) })
	src.OnGap(func(shared.Gap) { p.fetchTally(ctx) })
}

// OnDismount closes the stream.
func (p *Poll) OnDismount() {
	if p.src != nil {
		p.src.Close()
	}
}

// show takes t unless the page already shows a newer tally.
func (p *Poll) show(t events.Tally) {
	if t.Total >= p.tally.Total {
		p.tally = t
	}
}

// fetchTally asks the server for the tally now.
func (p *Poll) fetchTally(ctx app.Context) {
	fetch("GET", "/tally", "", func(status int, body string) {
		t, err := events.TallyEvent.Decode([]byte(body))
		ctx.Dispatch(func(app.Context) {
			if err != nil || status != 200 {
				p.err = fmt.Sprintf("get the tally: %d %v", status, err)
				return
			}
			p.show(t)
		})
	})
}

// vote sends a vote for option; the new tally comes on the stream.
func (p *Poll) vote(option string) app.EventHandler {
	return func(ctx app.Context, _ app.Event) {
		fetch("POST", "/vote", url.Values{"option": {option}}.Encode(), func(status int, body string) {
			ctx.Dispatch(func(app.Context) {
				p.err = ""
				if status != 204 {
					p.err = fmt.Sprintf("vote for %s: %d %s", option, status, body)
				}
			})
		})
	}
}

// Render shows the poll. Event data is only ever text.
func (p *Poll) Render() app.UI {
	return app.Main().Body(
		app.H1().Text(events.Question),
		app.Ul().Body(app.Range(events.Options).Slice(func(i int) app.UI {
			option := events.Options[i]
			return app.Li().Body(
				app.Button().ID("vote-"+option).Text(option).OnClick(p.vote(option)),
				app.Span().ID("votes-"+option).Text(fmt.Sprintf(" %d", p.tally.Votes[option])),
			)
		})),
		app.P().ID("total").Text(fmt.Sprintf("%d votes", p.tally.Total)),
		app.P().ID("error").Attr("role", "alert").Text(p.err),
	)
}
