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
// queue, and reaches the clients sooner. The backlog is counted in frames
// and in bytes, so that large events are paced before they fill the queues.
// It never waits on one subscriber: each counts at most paceCap frames and
// half its queue's bytes, an overflowed one none, the wait ends once the
// writers stop taking frames for stallCheck, and it is capped at
// maxPaceWait.
type pacer struct {
	backlog      atomic.Int64  // frames queued, at most paceCap per subscriber
	backlogBytes atomic.Int64  // bytes queued, at most half a queue per subscriber
	taken        atomic.Uint64 // frames counted out of backlog so far
	subscribers  atomic.Int64
	waiting      atomic.Int32
	// bytesEach is how many bytes each subscriber may have waiting, on
	// average, before publishers wait.
	bytesEach int64

	mu    sync.Mutex
	below chan struct{} // closed once backlog is at the limit or under
}

// The pacer's settings.
const (
	// paceDepth is how many frames each subscriber may have waiting, on
	// average, before publishers wait.
	paceDepth = 8
	// paceQueueShare is the share of its queue's bytes that each
	// subscriber may have waiting, on average, before publishers wait: an
	// eighth, so that large events are paced well before a queue fills.
	paceQueueShare = 8
	// stallCheck is how long a wait goes on without a frame being taken.
	stallCheck = 10 * time.Millisecond
	// maxPaceWait is the longest one publish waits.
	maxPaceWait = time.Second
)

// pace is a change in the backlog: frames and bytes, negative when they
// leave the queues.
type pace struct{ frames, bytes int }

// plus returns the sum of p and q.
func (p pace) plus(q pace) pace { return pace{p.frames + q.frames, p.bytes + q.bytes} }

// short reports whether the backlog is at its limits or under: those of
// paceDepth frames and bytesEach bytes per subscriber, on average.
func (p *pacer) short() bool {
	n := p.subscribers.Load()
	return p.backlog.Load() <= paceDepth*n && p.backlogBytes.Load() <= p.bytesEach*n
}

// add counts the change d in the backlog, as subscribers report it, and
// wakes the waiting publishers once the backlog is short enough.
func (p *pacer) add(d pace) {
	if d.frames == 0 && d.bytes == 0 {
		return
	}
	p.backlog.Add(int64(d.frames))
	p.backlogBytes.Add(int64(d.bytes))
	if d.frames < 0 {
		p.taken.Add(uint64(-d.frames))
	}
	if d.frames < 0 || d.bytes < 0 {
		p.wake()
	}
}

// wake wakes the waiting publishers if the backlog is short enough.
func (p *pacer) wake() {
	if p.waiting.Load() > 0 && p.short() {
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
	if p.short() {
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
		if p.short() {
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
