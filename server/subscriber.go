package server

import "sync"

// subscriber is one stream's place in the hub: the topics it reads, a
// bounded queue of frames its writer has not taken yet, and the other work
// waiting for the writer. No goroutine waits on an idle subscriber: the
// first piece of work that finds it idle starts its writer, which takes
// until nothing is left. The publisher only appends under the subscriber's own lock
// and never waits for the writer.
type subscriber struct {
	topics    []string
	maxEvents int
	maxBytes  int

	mu         sync.Mutex
	queue      []*frame
	queueBytes int
	overflowed bool
	notes      note
	busy       bool   // a writer runs, or the stream is not live yet
	closed     bool   // the stream ended: nothing more is queued
	writer     func() // called when work arrives for an idle subscriber: it must not block
}

// note is work for a stream's writer other than frames.
type note uint8

const (
	noteBeat         note = 1 << iota // a heartbeat is due
	noteLifetime                      // the stream reached its lifetime
	noteShutdown                      // the server drains
	noteGone                          // the client hung up
	noteSessionEnded                  // the session the stream depends on ended
)

// paceCap is the most frames of one subscriber's queue that count towards
// the backlog that paces publishers (see pacer), so that a few stuck
// clients cannot hold publishing back.
const paceCap = 4 * paceDepth

func newSubscriber(topics []string, maxEvents, maxBytes int) *subscriber {
	return &subscriber{topics: topics, maxEvents: maxEvents, maxBytes: maxBytes, busy: true}
}

// reads reports whether the subscriber reads topic.
func (s *subscriber) reads(topic string) bool {
	for _, t := range s.topics {
		if t == topic {
			return true
		}
	}
	return false
}

// push queues f and starts the writer if it was idle. A subscriber whose
// queue is full is marked overflowed instead, its queue is dropped, and it
// gets nothing more; its writer then ends the stream. It returns the change
// in the frames the subscriber counts towards the pacer's backlog.
func (s *subscriber) push(f *frame) (paced int) {
	s.mu.Lock()
	switch {
	case s.overflowed || s.closed:
		s.mu.Unlock()
		return 0
	case len(s.queue) >= s.maxEvents || s.queueBytes+len(f.wire) > s.maxBytes:
		s.overflowed = true
		paced = -min(len(s.queue), paceCap)
		s.queue, s.queueBytes = nil, 0
	default:
		s.queue = append(s.queue, f)
		s.queueBytes += len(f.wire)
		if len(s.queue) <= paceCap {
			paced = 1
		}
	}
	s.startLocked()
	return paced
}

// signal adds n to the writer's notes and starts the writer if it was idle.
// It reports false when the stream has ended.
func (s *subscriber) signal(n note) bool {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return false
	}
	s.notes |= n
	s.startLocked()
	return true
}

// startLocked starts the writer if it is idle, and unlocks s.mu.
func (s *subscriber) startLocked() {
	start := !s.busy && !s.closed
	s.busy = true
	w := s.writer
	s.mu.Unlock()
	if start {
		w()
	}
}

// work is what a writer takes from its subscriber in one go.
type work struct {
	frames     []*frame
	notes      note
	overflowed bool
}

// paced returns how many of the work's frames counted towards the pacer's
// backlog.
func (w work) paced() int { return min(len(w.frames), paceCap) }

// idleQueue is the largest queue buffer an idle subscriber keeps, so that
// a stream that wakes for a few events allocates nothing, and one that had a
// burst keeps no big buffer.
const idleQueue = paceCap

// take moves the queued frames out, with the notes, and gives the
// subscriber spare, which must be empty, as its queue; the caller keeps the
// frames' slice, emptied, as its next spare, so queue buffers go back and
// forth between writers and subscribers instead of being allocated. When
// there is nothing to do, take marks the subscriber idle and reports false;
// the caller keeps its spare.
func (s *subscriber) take(spare []*frame) (w work, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) == 0 && s.notes == 0 && !s.overflowed {
		s.busy = false
		if cap(s.queue) > idleQueue {
			s.queue = nil
		}
		return work{}, false
	}
	w = work{frames: s.queue, notes: s.notes, overflowed: s.overflowed}
	s.queue, s.queueBytes, s.notes = spare, 0, 0
	return w, true
}

// live makes writer the function called, without blocking, to start the
// writer when work arrives for the idle subscriber, from now on. The caller
// is the subscriber's writer until its first take reports nothing to do.
func (s *subscriber) live(writer func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writer = writer
}

// close ends the subscriber: nothing more is queued and no writer starts. It
// returns how many of the dropped frames counted towards the pacer's backlog.
func (s *subscriber) close() (paced int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	paced = min(len(s.queue), paceCap)
	s.closed = true
	s.queue, s.queueBytes = nil, 0
	return paced
}

// ended reports whether the stream has ended.
func (s *subscriber) ended() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}
