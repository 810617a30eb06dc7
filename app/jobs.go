//go:build !(js && wasm)

package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
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

// jobRunner runs the demo's simulated long jobs. POST /jobs, from a
// signed-in user, starts one and answers 202 {"job": "<id>"}; the job then
// publishes its progress on the user's own topic, user/<name>, step by step
// until it is done.
type jobRunner struct {
	ctx   context.Context // the jobs stop when it is done
	srv   *server.Server
	log   *slog.Logger
	steps int
	every time.Duration

	mu      sync.Mutex
	running map[string]int // jobs running, by user
}

func newJobRunner(ctx context.Context, srv *server.Server, log *slog.Logger) *jobRunner {
	return &jobRunner{ctx: ctx, srv: srv, log: log, steps: jobSteps, every: jobStepEvery, running: map[string]int{}}
}

// ServeHTTP starts a job for the signed-in user.
func (j *jobRunner) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u := j.srv.UserOf(r)
	if !u.SignedIn() {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "sign in to start a job"})
		return
	}
	if !j.reserve(u.Name) {
		j.log.Warn("job refused: too many running", "user", u.Name, "running", maxJobsPerUser)
		writeJSON(w, http.StatusTooManyRequests, map[string]string{
			"error": fmt.Sprintf("%d jobs are running already: wait for one to end", maxJobsPerUser),
		})
		return
	}
	id := newJobID()
	j.log.Info("job started", "user", u.Name, "job", id)
	go j.run(u.Name, id)
	writeJSON(w, http.StatusAccepted, map[string]string{"job": id})
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
