package engine

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// pacer holds publishers back while the subscribers' queues are long, so
// that a publisher that does not pace itself cannot run far ahead of the
// delivery: what it publishes next waits in its own hands, not in every
// queue, and reaches the clients sooner. It never waits on one subscriber:
// each counts at most paceCap frames, an overflowed one none, the wait ends
// once the writers stop taking frames for stallCheck, and it is capped at
// maxPaceWait.
type pacer struct {
	backlog     atomic.Int64  // frames queued, at most paceCap per subscriber
	taken       atomic.Uint64 // frames counted out of backlog so far
	subscribers atomic.Int64
	waiting     atomic.Int32

	mu    sync.Mutex
	below chan struct{} // closed once backlog is at the limit or under
}

// The pacer's settings.
const (
	// paceDepth is how many frames each subscriber may have waiting, on
	// average, before publishers wait.
	paceDepth = 8
	// stallCheck is how long a wait goes on without a frame being taken.
	stallCheck = 10 * time.Millisecond
	// maxPaceWait is the longest one publish waits.
	maxPaceWait = time.Second
)

// limit returns the backlog above which publishers wait.
func (p *pacer) limit() int64 {
	return paceDepth * p.subscribers.Load()
}

// add counts n more frames queued, or fewer when n is negative, as
// subscriber.push reports them.
func (p *pacer) add(n int) {
	if n < 0 {
		p.remove(-n)
		return
	}
	p.backlog.Add(int64(n))
}

// remove counts n frames taken from the queues, or dropped, and wakes the
// waiting publishers once the backlog is short enough.
func (p *pacer) remove(n int) {
	if n == 0 {
		return
	}
	left := p.backlog.Add(-int64(n))
	p.taken.Add(uint64(n))
	if p.waiting.Load() > 0 && left <= p.limit() {
		p.mu.Lock()
		if p.below != nil {
			close(p.below)
			p.below = nil
		}
		p.mu.Unlock()
	}
}

// wait returns once the backlog is at its limit or under, the writers stop
// taking frames, maxPaceWait has passed or ctx is done.
func (p *pacer) wait(ctx context.Context) {
	if p.backlog.Load() <= p.limit() {
		return
	}
	p.waiting.Add(1)
	defer p.waiting.Add(-1)
	tick := time.NewTicker(stallCheck)
	defer tick.Stop()
	deadline := time.Now().Add(maxPaceWait)
	taken := p.taken.Load()
	for {
		below := p.channel()
		if p.backlog.Load() <= p.limit() {
			return
		}
		select {
		case <-below:
			return
		case <-ctx.Done():
			return
		case now := <-tick.C:
			t := p.taken.Load()
			if t == taken || now.After(deadline) {
				return
			}
			taken = t
		}
	}
}

// channel returns the channel closed once the backlog is short enough.
func (p *pacer) channel() chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.below == nil {
		p.below = make(chan struct{})
	}
	return p.below
}
