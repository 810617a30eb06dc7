package server

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// refusalBudget bounds the log lines of refused requests: at most perSecond
// in each second. The refusals over it are counted, and one line says how
// many at the end of their second, so a flood of refusals costs a few lines,
// not one each.
type refusalBudget struct {
	perSecond int
	log       *slog.Logger

	mu      sync.Mutex
	ends    time.Time // the end of the current second
	logged  int       // the lines logged in it
	dropped int       // the refusals not logged since the last summary
}

// allow reports whether a refusal may be logged now. When it may not, it
// counts it, and the first such in a second schedules the summary.
func (b *refusalBudget) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	if !now.Before(b.ends) {
		b.ends, b.logged = now.Add(time.Second), 0
	}
	if b.logged < b.perSecond {
		b.logged++
		return true
	}
	b.dropped++
	if b.dropped == 1 {
		time.AfterFunc(b.ends.Sub(now), b.summarize)
	}
	return false
}

// summarize logs how many refusals were not logged since the last summary.
func (b *refusalBudget) summarize() {
	b.mu.Lock()
	n := b.dropped
	b.dropped = 0
	b.mu.Unlock()
	if n > 0 {
		b.log.Log(context.Background(), slog.LevelWarn, "more refusals not logged", "count", n, "limit_per_second", b.perSecond)
	}
}
