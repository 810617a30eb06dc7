package e2e

import (
	"strconv"
	"testing"
	"time"
)

// Two tabs of the app share one stream: the server serves exactly one. When
// the tab that holds it closes, the other takes over and misses nothing,
// though events keep coming while it does.
func TestTwoTabsShareOneStreamAndTheSecondTakesOverWithoutLoss(t *testing.T) {
	in := startHerald(t, "-demo=false")
	proxy := newStreamProxy(t, in)
	browser := newBrowser(t)
	leader, closeLeader := newTab(t, browser)
	openApp(t, leader, proxy.URL+"/")
	follower, _ := newTab(t, browser)
	openApp(t, follower, proxy.URL+"/")

	in.publish(t, batch(notification("ann", "n1", "info"), notification("ann", "n2", "info")))
	waitFeed(t, leader, numbered("n", 1, 2), 10*time.Second)
	waitFeed(t, follower, numbered("n", 1, 2), 10*time.Second)
	if open, peak, opened, _, _ := proxy.stats(); open != 1 || peak != 1 || opened != 1 {
		t.Fatalf("with two tabs the server served %d streams (%d at most at once, %d now), want exactly one", opened, peak, open)
	}

	// Events keep coming while the leader goes and the follower takes over.
	const total = 30
	published := make(chan struct{})
	go func() {
		defer close(published)
		for i := 3; i <= total; i++ {
			in.publish(t, notification("ann", "n"+strconv.Itoa(i), "info"))
			time.Sleep(50 * time.Millisecond)
		}
	}()
	time.Sleep(300 * time.Millisecond)
	closeLeader()
	<-published

	waitFeed(t, follower, numbered("n", 1, total), 20*time.Second)
	waitLive(t, follower)
	waitUntil(t, 10*time.Second, "the new leader's stream to be the only one", func() bool {
		open, _, opened, _, _ := proxy.stats()
		return open == 1 && opened == 2
	})

	in.publish(t, notification("ann", "after", "info"))
	waitFeed(t, follower, append(numbered("n", 1, total), "after"), 10*time.Second)
}
