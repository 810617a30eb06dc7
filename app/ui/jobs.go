package ui

import (
	"fmt"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/app/eventsource"
	"github.com/heraldhq/herald/app/fetch"
	"github.com/heraldhq/herald/shared"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// maxJobs is the number of jobs the panel shows.
const maxJobs = 5

// Jobs starts simulated long jobs for the signed-in user and shows their
// progress, which the server sends as progress events on the user's own
// topic.
type Jobs struct {
	app.Compo

	// Source is the stream the progress events come from.
	Source *eventsource.Source
	// User is the signed-in user's name, "" when signed out.
	User string
	// State is the page's state at the id Source resumes from, if any.
	State *PageState

	l       listening
	started bool
	jobs    shared.Latest[events.Progress] // a fold of jobsFold, oldest first
	busy    bool
	err     string
}

// OnInit starts from the page's state.
func (j *Jobs) OnInit() { j.takeState() }

// OnMount listens to the stream's progress events.
func (j *Jobs) OnMount(ctx app.Context) { j.listen(ctx) }

// OnUpdate takes the page's state if it had none, and listens to a new
// Source.
func (j *Jobs) OnUpdate(ctx app.Context) {
	j.takeState()
	j.listen(ctx)
}

func (j *Jobs) takeState() {
	j.jobs = startFrom(&j.started, j.State, jobsFold, func(p *PageState) shared.Latest[events.Progress] { return p.Jobs }, j.jobs)
}

// OnDismount stops listening.
func (j *Jobs) OnDismount() { j.l.stop() }

func (j *Jobs) listen(ctx app.Context) {
	j.l.to(j.Source, func(src *eventsource.Source) []func() {
		return []func(){eventsource.OnFold(src, jobsFold, func(change func(shared.Latest[events.Progress]) shared.Latest[events.Progress]) {
			ctx.Dispatch(func(ctx app.Context) {
				j.jobs = change(j.jobs)
				markRendered(ctx)
			})
		})}
	})
}

// jobStarted is the answer of POST /jobs.
type jobStarted struct {
	Job string `json:"job"`
}

func (j *Jobs) start(ctx app.Context, _ app.Event) {
	j.busy, j.err = true, ""
	ctx.Async(func() {
		var started jobStarted
		err := fetch.JSON(ctx, "POST", "/jobs", nil, &started)
		ctx.Dispatch(func(app.Context) {
			j.busy = false
			if err != nil {
				j.err = err.Error()
			}
		})
	})
}

// Render draws the start button and a progress bar per job.
func (j *Jobs) Render() app.UI {
	return app.Section().ID("jobs").Class("panel").Aria("labelledby", "jobs-title").Body(
		app.H2().ID("jobs-title").Text("Jobs"),
		app.P().Class("row").Body(
			app.Button().ID("start-job").Disabled(j.User == "" || j.busy).Text("Start a job").OnClick(j.start),
			app.If(j.User == "", func() app.UI {
				return app.Span().Class("hint").Text("Sign in to start a job: its progress comes on your own topic.")
			}),
		),
		app.If(j.err != "", func() app.UI {
			return app.P().ID("jobs-error").Class("error").Attr("role", "alert").Text(j.err)
		}),
		app.Ul().Class("job-list").Body(
			app.Range(j.jobs.Keys).Slice(func(i int) app.UI { return renderJob(j.jobs.Values[j.jobs.Keys[len(j.jobs.Keys)-1-i]]) }),
		),
	)
}

func renderJob(p events.Progress) app.UI {
	id := "job-" + p.Job
	return app.Li().ID(id).Class("job "+string(p.State)).Body(
		app.Label().For(id+"-bar").Body(
			app.Span().Class("job-name").Text("Job "+p.Job),
			app.Span().Class("job-count").Text(fmt.Sprintf("%d / %d", p.Done, p.Total)),
			app.Span().Class("job-state").Text(string(p.State)),
		),
		app.Progress().ID(id+"-bar").Max(max(p.Total, 1)).Attr("value", p.Done),
	)
}
