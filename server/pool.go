package server

import (
	"runtime"
	"sync"

	"github.com/heraldhq/herald/server/engine"
)

// writerPool writes for the streams taken from net/http with a few
// goroutines. A busy stream waits its turn in a queue while its frames pile
// up, and then they go out in one write; thousands of busy streams make
// neither thousands of runnable goroutines, behind which the publisher would
// wait its turn, nor thousands of small writes. The writes do not block: a
// client whose socket is full gets a goroutine of its own until it has taken
// the rest (see stream.writeRest).
type writerPool struct {
	mu      sync.Mutex
	in, out []*stream // the queue: appended to in, taken from out[next:]
	next    int
	running int // workers
}

// writers is the pool of every Server's hijacked streams.
var writers writerPool

// maxWorkers returns how many workers write at most: one fewer than
// GOMAXPROCS, at least one. Workers loop without blocking, so with every P
// writing, the runtime notices new requests and publishes only when it polls
// the network on its own, up to 10 ms later; the P left over waits in the
// poller. Measured on two cores, a second worker made publishes slower and
// writes smaller: 0.6 million events/s delivered instead of 1.3 million,
// with twice the latency.
func maxWorkers() int { return max(runtime.GOMAXPROCS(0)-1, 1) }

// schedule queues st for a turn, starting a worker when fewer than
// maxWorkers run.
func (p *writerPool) schedule(st *stream) {
	p.mu.Lock()
	p.in = append(p.in, st)
	start := p.running < maxWorkers()
	if start {
		p.running++
	}
	p.mu.Unlock()
	if start {
		go p.work()
	}
}

// work gives streams their turns until none waits.
func (p *writerPool) work() {
	bp := getBuf()
	defer putBuf(bp)
	var spare []*engine.Frame
	for st := p.take(); st != nil; st = p.take() {
		*bp, spare = st.turn(*bp, spare)
	}
}

// take returns the stream whose turn it is, or nil, and the worker stops,
// when none waits.
func (p *writerPool) take() *stream {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.next == len(p.out) {
		clear(p.out)
		p.in, p.out, p.next = p.out[:0], p.in, 0
		if len(p.out) == 0 {
			p.running--
			return nil
		}
	}
	st := p.out[p.next]
	p.next++
	return st
}
