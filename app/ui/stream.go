package ui

import (
	"net/url"
	"sync"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/app/eventsource"
	"github.com/heraldhq/herald/shared"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// streamURL returns the URL of the event stream of the public topics and,
// for a signed-in user, of the user's own topic.
func streamURL(user string) string {
	q := url.Values{"topic": events.PublicTopics()}
	if user != "" {
		q.Add("topic", shared.UserTopic(user))
	}
	return "/events?" + q.Encode()
}

// listening is a component's subscription to a Source: the Source, and the
// functions that remove its listeners. Components get the Source from their
// parent, which replaces it when the user signs in or out.
type listening struct {
	src    *eventsource.Source
	remove []func()
}

// to subscribes to src with subscribe, unless it is the Source already
// listened to; it unsubscribes from the previous one.
func (l *listening) to(src *eventsource.Source, subscribe func(*eventsource.Source) []func()) {
	if src == l.src {
		return
	}
	l.stop()
	l.src = src
	if src != nil {
		l.remove = subscribe(src)
	}
}

// stop removes every listener.
func (l *listening) stop() {
	for _, remove := range l.remove {
		remove()
	}
	l.src, l.remove = nil, nil
}

// firstEvent marks, once per page, the moment the first event is on the
// screen, as the User Timing mark "herald:first-event": the time from
// navigation to live data, which performance.getEntriesByName reads.
var firstEvent sync.Once

// markRendered runs after the update that shows an event.
func markRendered(ctx app.Context) {
	ctx.Defer(func(app.Context) {
		firstEvent.Do(func() { app.Window().Get("performance").Call("mark", "herald:first-event") })
	})
}
