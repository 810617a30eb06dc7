package server

import (
	"runtime"
	"sync"
	"time"

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
	mu        sync.Mutex
	in, out   []*stream // the queue: appended to in, taken from out[next:]
	next      int
	running   int   // workers
	busySince int64 // when the pool last went from idle to busy, on clock
}

// writers is the pool of every Server's hijacked streams.
var writers writerPool

// burstSpan is how long after the pool was idle a worker may run on every
// P. A burst, such as the round of writes of one event to thousands of
// streams, is then written on every core; under sustained load one P is
// left to the network poller, the handlers and, on a machine shared with
// them, the clients. Measured on two cores, two workers that never stopped
// made publishes slower and writes smaller: 0.6 million events/s delivered
// instead of 1.3 million, with twice the latency.
const burstSpan = 50 * time.Millisecond

// yieldTurns is how many turns a worker gives while every P has a worker
// before it stops, to be replaced by the next schedule. Workers loop without
// blocking: with every P writing, Go would notice new requests and publishes
// only when it polls the network on its own, up to 10 ms later. A P whose
// worker stops looks for other goroutines and polls the network first, so
// requests wait about yieldTurns turns at most (a turn is mostly one
// write(2), some microseconds).
const yieldTurns = 64

// maxWorkersLocked returns how many workers may run now: GOMAXPROCS within
// burstSpan of the pool's last idle moment, one fewer after it, at least
// one. The caller holds p.mu.
func (p *writerPool) maxWorkersLocked() int {
	n := runtime.GOMAXPROCS(0)
	if n > 1 && p.running >= n-1 && time.Duration(clock()-p.busySince) > burstSpan {
		return n - 1
	}
	return n
}

// schedule queues st for a turn, starting a worker when fewer than
// maxWorkersLocked run.
func (p *writerPool) schedule(st *stream) {
	p.mu.Lock()
	if p.running == 0 {
		p.busySince = clock()
	}
	p.in = append(p.in, st)
	start := p.running < p.maxWorkersLocked()
	if start {
		p.running++
	}
	p.mu.Unlock()
	if start {
		go p.work()
	}
}

// work gives streams their turns until none waits, or until it must make
// way (see take).
func (p *writerPool) work() {
	bp := getBuf()
	defer putBuf(bp)
	var spare []*engine.Frame
	for turns := 1; ; turns++ {
		st := p.take(turns)
		if st == nil {
			return
		}
		*bp, spare = st.turn(*bp, spare)
	}
}

// take returns the stream whose turn it is, or nil, and the worker stops,
// when none waits, or when another worker runs and this one, which has
// given turns turns, must make way: more workers run than may, or every P
// has one and it has given yieldTurns since it last made way.
func (p *writerPool) take(turns int) *stream {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.running > 1 && (p.running > p.maxWorkersLocked() ||
		turns%yieldTurns == 0 && p.running >= runtime.GOMAXPROCS(0)) {
		p.running--
		return nil
	}
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
