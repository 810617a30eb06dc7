package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/shared"
)

// blankPage serves an empty HTML page on loopback: a site of its own, whose
// origin depends on the name the browser uses for it.
func blankPage(t *testing.T) (port string) {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!doctype html><title>another origin</title><p>another origin</p>"))
	}))
	t.Cleanup(ts.Close)
	return portOf(t, ts.URL)
}

func portOf(t *testing.T, rawURL string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	_, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// harness defines, in the page, watch(name, url, withCredentials), which
// opens an EventSource and records in window[name] whether it opened, its
// errors and the messages of the notifications it got; and httpStatus(url,
// init), which resolves to the HTTP status of a fetch, without reading the
// body.
const harness = `
window.watch = (name, url, withCredentials) => {
	const s = {opened: false, errors: 0, messages: []};
	s.es = new EventSource(url, {withCredentials});
	s.es.onopen = () => { s.opened = true; };
	s.es.onerror = () => { s.errors++; };
	s.es.addEventListener("notification", e => s.messages.push(JSON.parse(e.data).message));
	window[name] = s;
};
window.httpStatus = async (url, init) => {
	const ctl = new AbortController();
	try {
		const r = await fetch(url, {...init, signal: ctl.signal});
		return r.status;
	} catch (e) {
		return 0; // refused by CORS, or the network
	} finally {
		ctl.abort();
	}
};
true`

// openPage navigates to pageURL and installs the harness.
func openPage(t *testing.T, ctx context.Context, pageURL string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Navigate(pageURL)); err != nil {
		t.Fatalf("navigate to %s: %v", pageURL, err)
	}
	evalJS[bool](t, ctx, harness)
}

// awaitJS evaluates expr, a promise, and returns its value as a T.
func awaitJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// sessionCookie returns the browser's session cookie for siteURL, or nil.
func sessionCookie(t *testing.T, ctx context.Context, siteURL string) *network.Cookie {
	t.Helper()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{siteURL}})
	if err != nil {
		t.Fatalf("get cookies: %v", err)
	}
	for _, c := range res.Cookies {
		if c.Name == "herald_session" {
			return c
		}
	}
	return nil
}

// note returns the publish body of a notification of message to topic.
func note(topic, message string) string {
	b, _ := json.Marshal(map[string]any{"topic": topic, "type": "notification",
		"data": map[string]string{"user": "ann", "message": message, "level": "info"}})
	return string(b)
}

// jsq quotes s as a JS string.
func jsq(s string) string { return strconv.Quote(s) }

// The site is Herald on 127.0.0.1:P1, reached as localhost:P1. An allowed
// front end is a plain page on localhost:P2, a foreign one on localhost:P3:
// the same site as Herald (so its SameSite cookie is sent) but other origins.
func TestCrossOriginPagesWithCredentials(t *testing.T) {
	allowedPort, foreignPort := blankPage(t), blankPage(t)
	allowed := "http://localhost:" + allowedPort
	foreign := "http://localhost:" + foreignPort
	in := startHerald(t, "-allowed-origins", allowed, "-demo=false")
	site := "http://localhost:" + portOf(t, in.URL)
	ctx := newBrowser(t)

	openPage(t, ctx, allowed+"/")
	signIn := `fetch(` + jsq(site+"/session") + `, {method: "POST", credentials: "include",
		headers: {"Content-Type": "application/json"}, body: JSON.stringify({name: "alice"})}).then(r => r.status)`
	if status := awaitJS[int](t, ctx, signIn); status != 200 {
		t.Fatalf("sign-in from the allowed origin: %d, want 200", status)
	}
	cookie := sessionCookie(t, ctx, site)
	if cookie == nil || !cookie.HTTPOnly || cookie.SameSite != network.CookieSameSiteLax {
		t.Fatalf("session cookie %+v, want an HttpOnly Lax cookie", cookie)
	}

	t.Run("from an allowed origin a credentialed stream gets private events, an anonymous one public only", func(t *testing.T) {
		evalJS[bool](t, ctx, `watch("priv", `+jsq(site+"/events?topic="+shared.UserTopic("alice"))+`, true);
			watch("pub", `+jsq(site+"/events?topic="+events.PublicTopic)+`, false);
			watch("anon", `+jsq(site+"/events?topic="+shared.UserTopic("alice"))+`, false); true`)
		waitJS(t, ctx, `priv.opened && pub.opened && anon.es.readyState === EventSource.CLOSED`, 10*time.Second)
		in.publish(t, note(shared.UserTopic("alice"), "for alice"))
		in.publish(t, note(events.PublicTopic, "for everyone"))
		waitJS(t, ctx, `priv.messages.includes("for alice") && pub.messages.includes("for everyone")`, 10*time.Second)
		if got := evalJS[[]string](t, ctx, `anon.messages`); len(got) != 0 {
			t.Errorf("the stream without credentials got %q", got)
		}
		if status := awaitJS[int](t, ctx, `httpStatus(`+jsq(site+"/events?topic="+shared.UserTopic("alice"))+`, {credentials: "omit"})`); status != 401 {
			t.Errorf("a private stream without credentials answered %d, want 401", status)
		}
		evalJS[bool](t, ctx, `priv.es.close(); pub.es.close(); true`)
	})

	t.Run("from an origin not allowed nothing opens, even with the cookie, and nothing is forged", func(t *testing.T) {
		openPage(t, ctx, foreign+"/")
		evalJS[bool](t, ctx, `watch("priv", `+jsq(site+"/events?topic="+shared.UserTopic("alice"))+`, true);
			watch("pub", `+jsq(site+"/events?topic="+events.PublicTopic)+`, true); true`)
		waitJS(t, ctx, `priv.es.readyState === EventSource.CLOSED && pub.es.readyState === EventSource.CLOSED`, 10*time.Second)
		// Requests a page can make without a preflight, with the cookie.
		forge := `fetch(` + jsq(site+"/publish") + `, {method: "POST", mode: "no-cors", credentials: "include",
			headers: {"Content-Type": "text/plain"}, body: ` + jsq(note(shared.UserTopic("alice"), "forged")) + `}).then(() => true, () => true)`
		awaitJS[bool](t, ctx, forge)
		switchUser := `fetch(` + jsq(site+"/session") + `, {method: "POST", mode: "no-cors", credentials: "include",
			headers: {"Content-Type": "text/plain"}, body: '{"name":"mallory"}'}).then(() => true, () => true)`
		awaitJS[bool](t, ctx, switchUser)

		in.publish(t, note(shared.UserTopic("alice"), "after the forgery"))
		in.publish(t, note(events.PublicTopic, "after the forgery"))
		time.Sleep(300 * time.Millisecond)
		if got := evalJS[[]string](t, ctx, `priv.messages.concat(pub.messages)`); len(got) != 0 {
			t.Errorf("streams from a foreign origin got %q", got)
		}
		if opened := evalJS[bool](t, ctx, `priv.opened || pub.opened`); opened {
			t.Error("a stream from a foreign origin opened")
		}
		// Alice's topic, replayed from its start without a browser, holds
		// no forged event.
		for _, data := range eventsUntil(t, in.URL+"/events?topic="+shared.UserTopic("alice")+"&lastEventId=0", cookie.Value, "after the forgery") {
			if strings.Contains(data, "forged") {
				t.Errorf("the forged publish went through: %s", data)
			}
		}
		if now := sessionCookie(t, ctx, site); now == nil || now.Value != cookie.Value {
			t.Error("a sign-in from a foreign origin replaced the session cookie")
		}
	})

	t.Run("a page on another site gets no session: the Lax cookie stays on its site", func(t *testing.T) {
		other := "http://127.0.0.1:" + portOf(t, in.URL) // another site than localhost
		openPage(t, ctx, allowed+"/")
		signIn := `fetch(` + jsq(other+"/session") + `, {method: "POST", credentials: "include",
			headers: {"Content-Type": "application/json"}, body: JSON.stringify({name: "alice"})}).then(r => r.status)`
		awaitJS[int](t, ctx, signIn)
		if status := awaitJS[int](t, ctx, `httpStatus(`+jsq(other+"/events?topic="+shared.UserTopic("alice"))+`, {credentials: "include"})`); status != 401 {
			t.Errorf("a credentialed private stream across sites answered %d, want 401", status)
		}
		if status := awaitJS[int](t, ctx, `httpStatus(`+jsq(other+"/events?topic="+events.PublicTopic)+`, {credentials: "include"})`); status != 200 {
			t.Errorf("a credentialed public stream across sites answered %d, want 200", status)
		}
	})

	t.Run("a tampered cookie is signed out and gets 401 on a private topic", func(t *testing.T) {
		b := []byte(cookie.Value)
		b[len(b)/2] ^= 1
		tampered := network.SetCookieParams{Name: "herald_session", Value: string(b), URL: site + "/", Path: "/",
			HTTPOnly: ptrTo(true), SameSite: network.CookieSameSiteLax}
		if _, err := chromedp.Call(ctx, network.SetCookie, tampered); err != nil {
			t.Fatal(err)
		}
		openPage(t, ctx, allowed+"/")
		evalJS[bool](t, ctx, `watch("priv", `+jsq(site+"/events?topic="+shared.UserTopic("alice"))+`, true); true`)
		waitJS(t, ctx, `priv.es.readyState === EventSource.CLOSED`, 10*time.Second)
		if status := awaitJS[int](t, ctx, `httpStatus(`+jsq(site+"/events?topic="+shared.UserTopic("alice"))+`, {credentials: "include"})`); status != 401 {
			t.Errorf("a private stream with a tampered cookie answered %d, want 401", status)
		}
		if status := awaitJS[int](t, ctx, `httpStatus(`+jsq(site+"/session")+`, {credentials: "include"})`); status != 401 {
			t.Errorf("GET /session with a tampered cookie answered %d, want 401", status)
		}
		in.publish(t, note(shared.UserTopic("alice"), "after tampering"))
		time.Sleep(200 * time.Millisecond)
		if got := evalJS[[]string](t, ctx, `priv.messages`); len(got) != 0 {
			t.Errorf("the stream with a tampered cookie got %q", got)
		}
	})
}

func ptrTo[T any](v T) *T { return &v }

// eventsUntil opens streamURL with the session cookie and returns the data
// lines it gets up to the first that holds marker.
func eventsUntil(t *testing.T, streamURL, session, marker string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", streamURL, nil)
	req.AddCookie(&http.Cookie{Name: "herald_session", Value: session})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s with the session cookie: %d", streamURL, resp.StatusCode)
	}
	var data []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "data: ") {
			data = append(data, line)
			if strings.Contains(line, marker) {
				return data
			}
		}
	}
	t.Fatalf("no event with %q on %s: %v", marker, streamURL, sc.Err())
	return nil
}
