package e2e

import (
	"net/url"
	"testing"
	"time"
)

// A reloaded page resumes from the last event the page had shown: it gets
// the events published while it reloaded, after those it had, which come
// with the page's state, and none twice.
func TestReloadResumesWithoutMissingEvents(t *testing.T) {
	in := startHerald(t, "-demo=false")
	proxy := newStreamProxy(t, in)
	ctx := newBrowser(t)
	openApp(t, ctx, proxy.URL+"/")
	in.publish(t, batch(notification("ann", "before 1", "info"), notification("ann", "before 2", "info")))
	waitFeed(t, ctx, []string{"before 1", "before 2"}, 10*time.Second)
	lastID := evalJS[string](t, ctx, `document.querySelector("#status .last-id").textContent.replace(" · last event ", "")`)

	// The page's next stream waits until events were published without it.
	proxy.hold()
	evalJS[bool](t, ctx, `(location.reload(), true)`)
	waitUntil(t, 10*time.Second, "the old page's stream to close", func() bool {
		open, _, _, _, _ := proxy.stats()
		return open == 0
	})
	in.publish(t, batch(notification("ann", "during 1", "info"), notification("ann", "during 2", "info")))
	waitUntil(t, 30*time.Second, "the reloaded page to ask for its stream", func() bool {
		_, _, _, waiting, _ := proxy.stats()
		return waiting == 1
	})
	_, _, _, _, asked := proxy.stats()
	proxy.release()

	u, err := url.Parse(asked[0])
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Query().Get("lastEventId"); got != lastID {
		t.Errorf("the reloaded page asked for %s, want it to resume from lastEventId %s", asked[0], lastID)
	}
	waitFeed(t, ctx, []string{"before 1", "before 2", "during 1", "during 2"}, 10*time.Second)
	waitLive(t, ctx)
}
