//go:build !(js && wasm)

package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/shared"
)

// The shape of the demo's simulated jobs.
const (
	jobSteps       = 20
	jobStepEvery   = 250 * time.Millisecond
	maxJobsPerUser = 3
)

// The defaults of the rate of job starts per user.
const (
	defaultJobRate  = 0.5 // a second
	defaultJobBurst = 5
)

// jobRunner runs the demo's simulated long jobs. POST /jobs, from a
// signed-in user, starts one and answers 202 {"job": "<id>"}; the job then
// publishes its progress on the user's own topic, user/<name>, step by step
// until it is done. A user has at most maxJobsPerUser jobs running, and
// starts them at the rate of starts.
type jobRunner struct {
	ctx    context.Context // the jobs stop when it is done
	srv    *server.Server
	log    *slog.Logger
	starts *server.RateLimiter // by user
	steps  int
	every  time.Duration

	mu      sync.Mutex
	running map[string]int // jobs running, by user
}

func newJobRunner(ctx context.Context, srv *server.Server, log *slog.Logger, starts *server.RateLimiter) *jobRunner {
	return &jobRunner{ctx: ctx, srv: srv, log: log, starts: starts, steps: jobSteps, every: jobStepEvery, running: map[string]int{}}
}

// Handler returns POST /jobs, its refusals answered, logged and counted by
// the server as the API's are.
func (j *jobRunner) Handler() http.Handler { return j.srv.Guard(j.serve) }

// serve starts a job for the signed-in user, or refuses.
func (j *jobRunner) serve(w http.ResponseWriter, r *http.Request) error {
	u := j.srv.UserOf(r)
	if !u.SignedIn() {
		return server.Refuse(http.StatusUnauthorized, "sign in to start a job")
	}
	if err := j.starts.Allow(u.Name, 1); err != nil {
		return err
	}
	if !j.reserve(u.Name) {
		// A warning of the demo's own, for its log tail to show beside
		// the server's line of the refusal.
		j.log.Warn("job refused: too many running", "user", u.Name, "running", maxJobsPerUser)
		return server.Refuse(http.StatusTooManyRequests, "%d jobs are running already: wait for one to end", maxJobsPerUser)
	}
	id := newJobID()
	j.log.Info("job started", "user", u.Name, "job", id)
	go j.run(u.Name, id)
	writeJSON(w, http.StatusAccepted, map[string]string{"job": id})
	return nil
}

// reserve counts a new job of user, unless the user has too many running.
func (j *jobRunner) reserve(user string) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.running[user] >= maxJobsPerUser {
		return false
	}
	j.running[user]++
	return true
}

func (j *jobRunner) release(user string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.running[user]--; j.running[user] <= 0 {
		delete(j.running, user)
	}
}

// run publishes the progress of job id of user, a step every j.every.
func (j *jobRunner) run(user, id string) {
	defer j.release(user)
	tick := time.NewTicker(j.every)
	defer tick.Stop()
	topic := shared.UserTopic(user)
	for done := 0; ; done++ {
		p := events.Progress{Job: id, Done: done, Total: j.steps, State: events.Running}
		if done == j.steps {
			p.State = events.Done
		}
		if _, err := server.Publish(j.srv, topic, events.ProgressEvent, p); err != nil {
			j.log.Warn("job progress", "job", id, "topic", topic, "err", err)
			return
		}
		if p.State == events.Done {
			j.log.Info("job done", "user", user, "job", id, "steps", j.steps)
			return
		}
		select {
		case <-j.ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// newJobID returns a random job id of 8 hex digits.
func newJobID() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// writeJSON answers with status and v in JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
