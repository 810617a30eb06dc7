package e2e

import (
	"strconv"
	"testing"
	"time"
)

// The dashboard shows the latest value of each metric and charts its
// samples in an SVG that is updated in place.
func TestDashboardChartsMetricsInPlace(t *testing.T) {
	in := startHerald(t, "-demo=false")
	ctx := newBrowser(t)
	openApp(t, ctx, in.URL+"/")

	in.publish(t, metric("load", 10))
	waitJS(t, ctx, `document.querySelector("#metric-load .value")?.textContent === "10"`, 10*time.Second)
	evalJS[bool](t, ctx, `(window.chartLine = document.querySelector("#metric-load svg polyline"), true)`)
	in.publish(t, batch(metric("load", 30), metric("load", 20.5), metric("heap", 4)))
	waitJS(t, ctx, `document.querySelector("#metric-load .value")?.textContent === "20.50"`, 10*time.Second)

	if n := evalJS[int](t, ctx, `document.querySelector("#metric-load svg polyline").getAttribute("points").split(" ").length`); n != 3 {
		t.Errorf("the load chart has %d points, want 3", n)
	}
	if same := evalJS[bool](t, ctx, `document.querySelector("#metric-load svg polyline") === window.chartLine`); !same {
		t.Error("the load chart's line was replaced, not updated in place")
	}
	if ns := evalJS[string](t, ctx, `document.querySelector("#metric-load svg polyline").namespaceURI`); ns != "http://www.w3.org/2000/svg" {
		t.Errorf("the chart's line is in namespace %q, not SVG's: the browser does not draw it", ns)
	}
	if h := evalJS[float64](t, ctx, `document.querySelector("#metric-load svg").getBoundingClientRect().height`); h <= 0 {
		t.Errorf("the load chart is %v px high", h)
	}
	if names := evalJS[[]string](t, ctx, `[...document.querySelectorAll(".metric .name")].map(e => e.textContent)`); len(names) != 2 || names[0] != "load" || names[1] != "heap" {
		t.Errorf("metrics shown %q, want [load heap], in the order they came", names)
	}
}

// The log tail keeps the newest line in view, holds still when the user
// scrolls up, counts what arrives meanwhile, and filters by level.
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
