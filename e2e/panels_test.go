package e2e

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/app/events"
)

// The dashboard shows the server's own figures, sampled every second: the
// streams figure counts the browser's own stream and one more when another
// client connects; each card shows the latest value and charts its samples
// in an SVG that is updated in place.
func TestDashboardChartsTheServersLiveFiguresInPlace(t *testing.T) {
	in := startHerald(t)
	ctx := newBrowser(t)
	openApp(t, ctx, in.URL+"/")

	const streams = `document.querySelector("#metric-streams .value")?.textContent`
	waitJS(t, ctx, streams+` === "1"`, 10*time.Second)
	other := openStream(t, in.URL+"/events?topic="+events.MetricsTopic)
	waitJS(t, ctx, streams+` === "2"`, 10*time.Second)
	other()
	waitJS(t, ctx, streams+` === "1"`, 10*time.Second)

	const line = `document.querySelector("#metric-streams svg polyline")`
	const points = line + `.getAttribute("points").split(" ").length`
	n := evalJS[int](t, ctx, `(window.chartLine = `+line+`, `+points+`)`)
	waitJS(t, ctx, points+` >= `+strconv.Itoa(n+2), 10*time.Second)
	if same := evalJS[bool](t, ctx, line+` === window.chartLine`); !same {
		t.Error("the streams chart's line was replaced, not updated in place")
	}
	if ns := evalJS[string](t, ctx, line+`.namespaceURI`); ns != "http://www.w3.org/2000/svg" {
		t.Errorf("the chart's line is in namespace %q, not SVG's: the browser does not draw it", ns)
	}
	if h := evalJS[float64](t, ctx, `document.querySelector("#metric-streams svg").getBoundingClientRect().height`); h <= 0 {
		t.Errorf("the streams chart is %v px high", h)
	}

	want := []string{"streams", "delivered", "cpu", "memory", "latency-p50", "latency-p99"}
	waitJS(t, ctx, `document.querySelectorAll(".metric").length === 6`, 10*time.Second)
	if names := evalJS[[]string](t, ctx, `[...document.querySelectorAll(".metric .name")].map(e => e.textContent)`); !slices.Equal(names, want) {
		t.Errorf("figures shown %q, want %q", names, want)
	}
	for _, name := range []string{"delivered", "memory", "latency-p99"} {
		if v := evalJS[float64](t, ctx, `parseFloat(document.querySelector("#metric-`+name+` .value").textContent)`); v <= 0 {
			t.Errorf("the %s figure is %v while the browser streams", name, v)
		}
	}
}

// openStream opens an event stream of url and returns the function that
// closes it.
func openStream(t *testing.T, url string) (closeStream func()) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatalf("open a stream of %s: %v", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		cancel()
		resp.Body.Close()
		t.Fatalf("open a stream of %s: %s", url, resp.Status)
	}
	closeStream = func() { cancel(); resp.Body.Close() }
	t.Cleanup(closeStream)
	return closeStream
}

// The log tail shows the server's own log records as they happen: the line
// of a refused request, without the token it carried; the level filter hides
// it under "warn and up", which shows the warning of a job refused.
func TestLogTailShowsTheServersOwnRecordsByLevel(t *testing.T) {
	in := startHerald(t)
	ctx := newBrowser(t)
	openApp(t, ctx, in.URL+"/")

	const wrongToken = "e2e-wrong-token-4711"
	req, _ := http.NewRequest("POST", in.URL+"/publish", strings.NewReader(notification("mallory", "refused", "info")))
	req.Header.Set("Authorization", "Bearer "+wrongToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a publish with a wrong token got %s, want 401", resp.Status)
	}
	const refusal = `[...document.querySelectorAll("#log li")].some(li => li.querySelector(".level").textContent === "info" &&
		li.querySelector(".text").textContent.startsWith("request refused status=401 method=POST path=/publish"))`
	waitJS(t, ctx, refusal, 10*time.Second)
	if leaked := evalJS[bool](t, ctx, `document.querySelector("#log").textContent.includes(`+strconv.Quote(wrongToken)+`)`); leaked {
		t.Error("the log tail shows the token of the refused request")
	}

	evalJS[bool](t, ctx, `(s => { s.value = "warn"; s.dispatchEvent(new Event("change")); return true })(document.querySelector("#log-level"))`)
	waitJS(t, ctx, `!(`+refusal+`)`, 5*time.Second)
	signIn(t, ctx, "alice")
	for i := range 3 {
		waitJS(t, ctx, `document.querySelector("#start-job").disabled === false`, 5*time.Second)
		click(t, ctx, "#start-job")
		waitJS(t, ctx, `document.querySelectorAll(".job").length === `+strconv.Itoa(i+1), 5*time.Second)
	}
	waitJS(t, ctx, `document.querySelector("#start-job").disabled === false`, 5*time.Second)
	click(t, ctx, "#start-job")
	waitJS(t, ctx, `document.querySelector("#jobs-error") !== null`, 10*time.Second)
	waitJS(t, ctx, `[...document.querySelectorAll("#log li")].some(li => li.querySelector(".level").textContent === "warn" &&
		li.querySelector(".text").textContent.startsWith("job refused: too many running user=alice"))`, 10*time.Second)
	if levels := evalJS[[]string](t, ctx, `[...new Set([...document.querySelectorAll("#log .level")].map(e => e.textContent))]`); slices.ContainsFunc(levels, func(l string) bool { return l != "warn" && l != "error" }) {
		t.Errorf("with the warn filter the log shows levels %q", levels)
	}

	evalJS[bool](t, ctx, `(s => { s.value = "debug"; s.dispatchEvent(new Event("change")); return true })(document.querySelector("#log-level"))`)
	waitJS(t, ctx, refusal, 5*time.Second)
	waitJS(t, ctx, `[...document.querySelectorAll("#log .text")].some(e => e.textContent.startsWith("job started user=alice"))`, 5*time.Second)
}

// The log tail keeps the newest line in view, holds still when the user
// scrolls up, counts what arrives meanwhile, and filters by level. The test
// publishes the lines itself, to know their number and levels exactly.
func TestLogTailFollowsPausesAndFilters(t *testing.T) {
	in := startHerald(t, "-demo=false")
	ctx := newBrowser(t)
	openApp(t, ctx, in.URL+"/")

	var lines []string
	for i := 1; i <= 60; i++ {
		level := "info"
		switch {
		case i%10 == 0:
			level = "error"
		case i%10 == 5:
			level = "debug"
		}
		lines = append(lines, logLine(level, "line "+strconv.Itoa(i)))
	}
	in.publish(t, batch(lines...))
	const atBottom = `(e => e.scrollHeight > e.clientHeight && e.scrollTop + e.clientHeight >= e.scrollHeight - 8)(document.querySelector("#log"))`
	waitJS(t, ctx, `document.querySelector("#log li:last-child .text")?.textContent === "line 60"`, 10*time.Second)
	if n := evalJS[int](t, ctx, `document.querySelectorAll("#log li").length`); n != 60 {
		t.Errorf("with no filter the log shows %d of 60 lines", n)
	}
	waitJS(t, ctx, atBottom, 5*time.Second)

	evalJS[bool](t, ctx, `(document.querySelector("#log").scrollTop = 0, true)`)
	waitJS(t, ctx, `document.querySelector("#log-resume") !== null`, 5*time.Second)
	in.publish(t, batch(logLine("info", "line 61"), logLine("warn", "line 62")))
	waitJS(t, ctx, `document.querySelector("#log li:last-child .text")?.textContent === "line 62"`, 10*time.Second)
	waitJS(t, ctx, `document.querySelector("#log-resume").textContent.includes("2 new")`, 5*time.Second)
	if top := evalJS[float64](t, ctx, `document.querySelector("#log").scrollTop`); top != 0 {
		t.Errorf("the paused log scrolled to %v; it should hold still", top)
	}

	click(t, ctx, "#log-resume")
	waitJS(t, ctx, atBottom, 5*time.Second)
	waitJS(t, ctx, `document.querySelector("#log-resume") === null`, 5*time.Second)

	evalJS[bool](t, ctx, `(s => { s.value = "error"; s.dispatchEvent(new Event("change")); return true })(document.querySelector("#log-level"))`)
	waitJS(t, ctx, `document.querySelectorAll("#log li").length === 6`, 5*time.Second)
	if levels := evalJS[[]string](t, ctx, `[...new Set([...document.querySelectorAll("#log .level")].map(e => e.textContent))]`); len(levels) != 1 || levels[0] != "error" {
		t.Errorf("with the error filter the log shows levels %q", levels)
	}
}

// A signed-in user sends a notification that everyone sees, starts a job and
// watches its progress bar, fed by the user's own topic, reach done.
func TestSignedInUserSendsANotificationAndRunsAJobToDone(t *testing.T) {
	in := startHerald(t, "-demo=false")
	ctx := newBrowser(t)
	openApp(t, ctx, in.URL+"/")
	if disabled := evalJS[bool](t, ctx, `document.querySelector("#start-job").disabled`); !disabled {
		t.Error("a signed-out user can start a job")
	}

	signIn(t, ctx, "alice")
	waitJS(t, ctx, `document.querySelector("#start-job").disabled === false`, 5*time.Second)

	typeInto(t, ctx, "#message", "hello from alice")
	click(t, ctx, "#send")
	waitJS(t, ctx, `[...document.querySelectorAll("#feed li")].some(li =>
		li.querySelector(".user").textContent === "alice" && li.querySelector(".message").textContent === "hello from alice")`, 10*time.Second)
	waitJS(t, ctx, `document.querySelector("#message").value === ""`, 5*time.Second)

	click(t, ctx, "#start-job")
	waitJS(t, ctx, `document.querySelector(".job progress") !== null`, 10*time.Second)
	waitJS(t, ctx, `(b => b.value > 0 && b.value < b.max)(document.querySelector(".job progress"))`, 10*time.Second)
	waitJS(t, ctx, `(j => j.classList.contains("done") && j.querySelector(".job-state").textContent === "done")(document.querySelector(".job"))`, 20*time.Second)
	if v := evalJS[[]int](t, ctx, `(b => [b.value, b.max])(document.querySelector(".job progress"))`); v[0] != v[1] || v[1] == 0 {
		t.Errorf("the finished job's bar is at %d of %d", v[0], v[1])
	}
	if text := evalJS[string](t, ctx, `document.querySelector(".job .job-count").textContent`); text != "20 / 20" {
		t.Errorf("the finished job says %q, want 20 / 20", text)
	}
}
