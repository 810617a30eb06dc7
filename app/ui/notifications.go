package ui

import (
	"strings"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/app/eventsource"
	"github.com/heraldhq/herald/app/fetch"
	"github.com/heraldhq/herald/shared"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// maxFeed is the number of notifications the feed keeps.
const maxFeed = 50

// Notifications is the feed of the notifications published to everyone,
// newest first, with a sign-in form and, once signed in, a form to send one.
type Notifications struct {
	app.Compo

	// Source is the stream the notifications come from.
	Source *eventsource.Source
	// User is the signed-in user's name, "" when signed out.
	User string
	// State is the page's state at the id Source resumes from, if any.
	State *PageState

	l       listening
	started bool
	feed    shared.Last[events.Notification] // a fold of feedFold, oldest first
	name    string                           // the sign-in form's name
	message string                           // the send form's message
	level   events.Level
	busy    bool
	err     string
}

// OnInit starts from the page's state.
func (n *Notifications) OnInit() { n.takeState() }

// OnMount listens to the stream's notifications.
func (n *Notifications) OnMount(ctx app.Context) { n.listen(ctx) }

// OnUpdate takes the page's state if it had none, and listens to a new
// Source.
func (n *Notifications) OnUpdate(ctx app.Context) {
	n.takeState()
	n.listen(ctx)
}

func (n *Notifications) takeState() {
	n.feed = startFrom(&n.started, n.State, feedFold, func(p *PageState) shared.Last[events.Notification] { return p.Feed }, n.feed)
}

// OnDismount stops listening.
func (n *Notifications) OnDismount() { n.l.stop() }

func (n *Notifications) listen(ctx app.Context) {
	n.l.to(n.Source, func(src *eventsource.Source) []func() {
		return []func(){eventsource.OnFold(src, feedFold, func(change func(shared.Last[events.Notification]) shared.Last[events.Notification]) {
			ctx.Dispatch(func(ctx app.Context) {
				n.feed = change(n.feed)
				markRendered(ctx)
			})
		})}
	})
}

// do runs call, an API call, in the background; while it runs the forms are
// disabled, and what fails is shown.
func (n *Notifications) do(ctx app.Context, call func() error, then func(app.Context)) {
	n.busy, n.err = true, ""
	ctx.Async(func() {
		err := call()
		ctx.Dispatch(func(ctx app.Context) {
			n.busy = false
			if err != nil {
				n.err = err.Error()
				return
			}
			then(ctx)
		})
	})
}

func (n *Notifications) signIn(ctx app.Context, e app.Event) {
	e.PreventDefault()
	name := strings.TrimSpace(n.name)
	var s session
	n.do(ctx, func() error { return fetch.JSON(ctx, "POST", "/session", map[string]string{"name": name}, &s) },
		func(ctx app.Context) { ctx.NewActionWithValue(actionUser, s.Name) })
}

func (n *Notifications) signOut(ctx app.Context, _ app.Event) {
	n.do(ctx, func() error { return fetch.JSON(ctx, "DELETE", "/session", nil, nil) },
		func(ctx app.Context) { ctx.NewActionWithValue(actionUser, "") })
}

func (n *Notifications) send(ctx app.Context, e app.Event) {
	e.PreventDefault()
	level := n.level
	if level == "" {
		level = events.Info
	}
	body := map[string]any{
		"topic": events.PublicTopic,
		"type":  events.Notify.Name(),
		"data":  events.Notification{User: n.User, Message: n.message, Level: level},
	}
	n.do(ctx, func() error { return fetch.JSON(ctx, "POST", "/publish", body, nil) },
		func(app.Context) { n.message = clearInput("message") })
}

// clearInput empties the input with the given id and returns "". go-app
// renders Value("") as no attribute at all, which leaves what the user typed
// in the input.
func clearInput(id string) string {
	if el := app.Window().GetElementByID(id); el.Truthy() {
		el.Set("value", "")
	}
	return ""
}

// Render draws the forms and the feed.
func (n *Notifications) Render() app.UI {
	return app.Section().ID("notifications").Class("panel").Aria("labelledby", "notifications-title").Body(
		app.H2().ID("notifications-title").Text("Notifications"),
		app.If(n.User == "", n.renderSignIn).Else(n.renderSend),
		app.If(n.err != "", func() app.UI {
			return app.P().ID("notify-error").Class("error").Attr("role", "alert").Text(n.err)
		}),
		app.Ul().ID("feed").Aria("live", "polite").Aria("relevant", "additions").Body(
			app.Range(n.feed.Items).Slice(func(i int) app.UI { return renderNotification(n.feed.Items[len(n.feed.Items)-1-i]) }),
		),
	)
}

func (n *Notifications) renderSignIn() app.UI {
	return app.Form().ID("sign-in-form").Class("row").OnSubmit(n.signIn).Body(
		app.Label().For("sign-in-name").Text("Name"),
		app.Input().ID("sign-in-name").Type("text").Required(true).MaxLength(64).
			Pattern(`[A-Za-z0-9._~\-]+`).Title("letters, digits and . _ ~ -").
			Attr("autocomplete", "username").Placeholder("alice").Value(n.name).
			OnInput(func(ctx app.Context, e app.Event) { n.name = ctx.JSSrc().Get("value").String() }),
		app.Button().ID("sign-in").Type("submit").Disabled(n.busy).Text("Sign in"),
	)
}

func (n *Notifications) renderSend() app.UI {
	return app.Div().Body(
		app.P().Class("row signed-in").Body(
			app.Span().Text("Signed in as "),
			app.Strong().ID("user").Text(n.User),
			app.Button().ID("sign-out").Class("link").Disabled(n.busy).Text("Sign out").OnClick(n.signOut),
		),
		app.Form().ID("send-form").Class("row").OnSubmit(n.send).Body(
			app.Label().For("message").Class("visually-hidden").Text("Message"),
			app.Input().ID("message").Type("text").Required(true).MaxLength(500).
				Placeholder("Say something to everyone").Value(n.message).
				OnInput(func(ctx app.Context, e app.Event) { n.message = ctx.JSSrc().Get("value").String() }),
			app.Label().For("level").Class("visually-hidden").Text("Level"),
			app.Select().ID("level").
				OnChange(func(ctx app.Context, e app.Event) { n.level = events.Level(ctx.JSSrc().Get("value").String()) }).
				Body(levelOptions(string(n.level), events.Info.Enum())...),
			app.Button().ID("send").Type("submit").Disabled(n.busy).Text("Send"),
		),
	)
}

// levelOptions returns an option per level, with selected chosen.
func levelOptions(selected string, levels []string) []app.UI {
	opts := make([]app.UI, len(levels))
	for i, l := range levels {
		opts[i] = app.Option().Value(l).Selected(l == selected || (selected == "" && i == 0)).Text(l)
	}
	return opts
}

func renderNotification(v events.Notification) app.UI {
	level := v.Level
	if level == "" {
		level = events.Info
	}
	return app.Li().Class("notification "+string(level)).Body(
		app.Strong().Class("user").Text(v.User),
		app.Span().Class("message").Text(v.Message),
	)
}
