//go:build !(js && wasm)

package main

import (
	"sync"
	"time"
)

// budget bounds a rate: a bucket of burst tokens, refilled at perSecond
// tokens a second, one token taken by each thing let through. It is safe for
// concurrent use and never waits.
type budget struct {
	perSecond float64
	burst     float64

	mu     sync.Mutex
	tokens float64
	last   time.Time
}

// newBudget returns a full budget of perSecond a second, at most burst at
// once.
func newBudget(perSecond, burst int) *budget {
	return &budget{perSecond: float64(perSecond), burst: float64(burst), tokens: float64(burst)}
}

// allow takes a token at now and reports whether there was one.
func (b *budget) allow(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.last.IsZero() && now.After(b.last) {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.perSecond)
	}
	if now.After(b.last) {
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
