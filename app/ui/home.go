package ui

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/heraldhq/herald/app/eventsource"
	"github.com/heraldhq/herald/app/fetch"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// actionUser is the action that says who is signed in now: its value is the
// user's name, "" when signed out.
const actionUser = "herald/user"

// Home is the demo page. It holds the event stream, which it gives to each
// panel: the connection status, the live dashboard, the notifications, the
// jobs and the log tail.
type Home struct {
	app.Compo

	src       *eventsource.Source
	srcURL    string // the URL src was opened with
	user      string
	pre       *Prerendered // the state the page was rendered with, if any
	update    bool         // a new version of the app is ready
	onStorage app.Func     // follows sign-ins and sign-outs in other tabs
}

// userKey is the localStorage key of the name of the user last signed in.
const userKey = "herald.user"

// OnInit takes, in the browser, the state the server rendered the page
// with, before the app replaces what the server rendered.
func (h *Home) OnInit() {
	if app.IsClient {
		h.pre = readPrerendered()
	}
}

// OnPreRender renders, on the server, the state of the public topics at
// one event id into the page.
func (h *Home) OnPreRender(ctx app.Context) {
	pre, err := prerender()
	if err != nil {
		app.Log(err)
		return
	}
	h.pre = pre
}

// state returns the page's state, nil when it was rendered without.
func (h *Home) state() *PageState {
	if h.pre == nil {
		return nil
	}
	return &h.pre.State
}

// OnMount opens the stream: from the id of the page's state, the stream the
// page was rendered with; else that of the user last signed in, so that
// events come without waiting for the server's word on the session. It then
// asks who is signed in and opens another stream if that changed. It runs
// in the browser only.
func (h *Home) OnMount(ctx app.Context) {
	ctx.Handle(actionUser, func(ctx app.Context, a app.Action) {
		if name, ok := a.Value.(string); ok {
			h.setUser(ctx, name)
		}
	})
	if err := ctx.LocalStorage().Get(userKey, &h.user); err != nil {
		h.user = ""
	}
	h.followOtherTabs(ctx)
	if h.pre != nil {
		h.openURL(h.pre.URL, h.pre.ID)
	} else {
		h.open(ctx)
	}
	ctx.Async(func() {
		var s session
		err := fetch.JSON(ctx, "GET", "/session", nil, &s)
		var e *fetch.Error
		if err != nil && !(errors.As(err, &e) && e.Status == http.StatusUnauthorized) {
			ctx.Dispatch(func(ctx app.Context) { h.open(ctx) }) // offline: the stream of the last user
			return
		}
		ctx.Dispatch(func(ctx app.Context) { h.setUser(ctx, s.Name) })
	})
}

// followOtherTabs switches to the stream of the user who signs in or out in
// another tab: the session cookie is the browser's, not the tab's.
func (h *Home) followOtherTabs(ctx app.Context) {
	h.onStorage = app.FuncOf(func(_ app.Value, args []app.Value) any {
		if args[0].Get("key").String() != userKey {
			return nil
		}
		var name string
		if json.Unmarshal([]byte(args[0].Get("newValue").String()), &name) == nil {
			ctx.Dispatch(func(ctx app.Context) { h.setUser(ctx, name) })
		}
		return nil
	})
	app.Window().Call("addEventListener", "storage", h.onStorage)
}

// session is the answer of GET and POST /session.
type session struct {
	Name string `json:"name"`
}

// setUser opens the stream of the user who signed in, or out.
func (h *Home) setUser(ctx app.Context, name string) {
	if name != h.user {
		h.user = name
		if err := ctx.LocalStorage().Set(userKey, name); err != nil {
			app.Log("remember the user:", err)
		}
	}
	h.open(ctx)
}

// open opens the stream of the current user, unless it is open, resuming
// from the last event of the previous stream, if any, so that nothing is
// missed or seen twice.
func (h *Home) open(ctx app.Context) {
	url := streamURL(h.user)
	if h.src != nil && url == h.srcURL {
		return
	}
	lastID := ""
	if h.src != nil {
		lastID = h.src.LastEventID()
	}
	h.openURL(url, lastID)
}

// openURL opens the stream at url from the event after lastID ("" for the
// live events only), in place of the stream open.
func (h *Home) openURL(url, lastID string) {
	var opts []eventsource.Option
	if h.src != nil || lastID != "" {
		opts = append(opts, eventsource.WithLastEventID(lastID))
	}
	if h.src != nil {
		h.src.Close()
	}
	src, err := eventsource.Open(url, opts...)
	if err != nil {
		app.Log("open the event stream:", err)
		h.src, h.srcURL = nil, ""
		return
	}
	h.src, h.srcURL = src, url
}

// OnDismount closes the stream.
func (h *Home) OnDismount() {
	app.Window().Call("removeEventListener", "storage", h.onStorage)
	h.onStorage.Release()
	if h.src != nil {
		h.src.Close()
	}
}

// OnAppUpdate shows the banner that offers the new version.
func (h *Home) OnAppUpdate(ctx app.Context) { h.update = true }

// Render draws the page. Event data is only ever rendered as text.
func (h *Home) Render() app.UI {
	return app.Div().Class("page").Body(
		app.Header().Class("bar").Body(
			app.Div().Class("brand").Body(
				app.Img().Src("/web/icon.svg").Alt("").Width(32).Height(32),
				app.H1().Text("Herald"),
			),
			&Status{Source: h.src, StateID: h.stateID()},
		),
		app.If(h.update, h.renderUpdate),
		app.Main().Class("panels").Body(
			&Dashboard{Source: h.src, State: h.state()},
			&Notifications{Source: h.src, User: h.user, State: h.state()},
			&Jobs{Source: h.src, User: h.user, State: h.state()},
			&LogTail{Source: h.src, State: h.state()},
		),
		app.If(app.IsServer && h.pre != nil, func() app.UI { return stateElement(h.pre) }),
	)
}

// stateID returns the id of the page's state, "" without one.
func (h *Home) stateID() string {
	if h.pre == nil {
		return ""
	}
	return h.pre.ID
}

func (h *Home) renderUpdate() app.UI {
	return app.Div().ID("update").Class("banner").Aria("live", "polite").Body(
		app.Span().Text("A new version of Herald is ready."),
		app.Button().Text("Reload").OnClick(func(ctx app.Context, _ app.Event) { ctx.Reload() }),
	)
}
