package engine

import "sync"

// Subscriber is one stream's place in the hub: the topics it reads, a
// bounded queue of frames its writer has not taken yet, and the other work
// waiting for the writer (its notes). No goroutine waits on an idle subscriber: the
// first piece of work that finds it idle starts its writer, which takes
// until nothing is left. The publisher only appends under the subscriber's own lock
// and never waits for the writer.
type Subscriber struct {
	topics    []string
	maxEvents int
	maxBytes  int
	pacer     *pacer

	mu         sync.Mutex
	queue      []*Frame
	queueBytes int
	pacedBytes int // the bytes of the queue counted in the pacer's backlog
	overflowed bool
	notes      Note
	busy       bool   // a writer runs, or the stream is not live yet
	closed     bool   // the stream ended: nothing more is queued
	writer     func() // called when work arrives for an idle subscriber: it must not block
}

// Note is work for a stream's writer other than frames.
type Note uint8

// The notes a stream's writer acts on.
const (
	NoteBeat         Note = 1 << iota // a heartbeat is due
	NoteLifetime                      // the stream reached its lifetime
	NoteShutdown                      // the server drains
	NoteGone                          // the client hung up
	NoteSessionEnded                  // the session the stream depends on ended
)

// paceCap is the most frames of one subscriber's queue that count towards
// the backlog that paces publishers (see pacer), so that a few stuck
// clients cannot hold publishing back.
const paceCap = 4 * paceDepth

func newSubscriber(topics []string, maxEvents, maxBytes int, p *pacer) *Subscriber {
	return &Subscriber{topics: topics, maxEvents: maxEvents, maxBytes: maxBytes, pacer: p, busy: true}
}

// Topics returns the topics the subscriber reads.
func (s *Subscriber) Topics() []string { return s.topics }

// reads reports whether the subscriber reads topic.
func (s *Subscriber) reads(topic string) bool {
	for _, t := range s.topics {
		if t == topic {
			return true
		}
	}
	return false
}

// push queues f and returns the writer to start, nil unless it was idle:
// the caller calls it, once it holds no lock. A subscriber whose queue is
// full is marked overflowed instead, its queue is dropped, and it gets
// nothing more; its writer then ends the stream. push also returns the
// change in what the subscriber counts towards the pacer's backlog.
func (s *Subscriber) push(f *Frame) (start func(), d pace) {
	s.mu.Lock()
	switch {
	case s.overflowed || s.closed:
		s.mu.Unlock()
		return nil, pace{}
	case len(s.queue) >= s.maxEvents || s.queueBytes+len(f.wire) > s.maxBytes:
		s.overflowed = true
		d = s.unpace()
		s.queue, s.queueBytes = nil, 0
	default:
		s.queue = append(s.queue, f)
		s.queueBytes += len(f.wire)
		if len(s.queue) <= paceCap {
			d.frames = 1
		}
		paced := min(s.queueBytes, s.maxBytes/2)
		d.bytes, s.pacedBytes = paced-s.pacedBytes, paced
	}
	return s.wakeLocked(), d
}

// unpace returns what the queue counts towards the pacer's backlog, as a
// change that takes it out, and counts nothing more. The caller holds s.mu
// and empties the queue.
func (s *Subscriber) unpace() pace {
	d := pace{-min(len(s.queue), paceCap), -s.pacedBytes}
	s.pacedBytes = 0
	return d
}

// Signal adds n to the writer's notes and starts the writer if it was idle.
// It reports false when the stream has ended.
func (s *Subscriber) Signal(n Note) bool {
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
func (s *Subscriber) startLocked() {
	if w := s.wakeLocked(); w != nil {
		w()
	}
}

// wakeLocked marks the subscriber busy, unlocks s.mu, and returns its
// writer if it was idle, nil otherwise.
func (s *Subscriber) wakeLocked() func() {
	start := !s.busy && !s.closed
	s.busy = true
	w := s.writer
	s.mu.Unlock()
	if !start {
		return nil
	}
	return w
}

// Work is what a writer takes from its subscriber in one go.
type Work struct {
	// Frames are the queued frames, in order.
	Frames []*Frame
	// Notes are the other things to do.
	Notes Note
	// Overflowed is set when the queue overflowed: the subscriber dropped
	// its frames and gets no more, and the stream must end.
	Overflowed bool
}

// idleQueue is the largest queue buffer an idle subscriber keeps, so that
// a stream that wakes for a few events allocates nothing, and one that had a
// burst keeps no big buffer.
const idleQueue = paceCap

// Take moves the queued frames out, with the notes, and gives the
// subscriber spare, which must be empty, as its queue; the caller keeps the
// frames' slice, emptied, as its next spare, so queue buffers go back and
// forth between writers and subscribers instead of being allocated. When
// there is nothing to do, take marks the subscriber idle and reports false;
// the caller keeps its spare.
func (s *Subscriber) Take(spare []*Frame) (w Work, ok bool) {
	s.mu.Lock()
	if len(s.queue) == 0 && s.notes == 0 && !s.overflowed {
		s.busy = false
		if cap(s.queue) > idleQueue {
			s.queue = nil
		}
		s.mu.Unlock()
		return Work{}, false
	}
	w = Work{Frames: s.queue, Notes: s.notes, Overflowed: s.overflowed}
	d := s.unpace()
	s.queue, s.queueBytes, s.notes = spare, 0, 0
	s.mu.Unlock()
	s.pacer.add(d)
	return w, true
}

// Live makes writer the function called, without blocking, to start the
// writer when work arrives for the idle subscriber, from now on. The caller
// is the subscriber's writer until its first take reports nothing to do.
func (s *Subscriber) Live(writer func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writer = writer
}

// close ends the subscriber: nothing more is queued and no writer starts. It
// returns the change that takes its queue out of the pacer's backlog.
func (s *Subscriber) close() pace {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.unpace()
	s.closed = true
	s.queue, s.queueBytes = nil, 0
	return d
}

// Ended reports whether the stream has ended.
func (s *Subscriber) Ended() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}
