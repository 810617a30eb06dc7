package server

import "sync"

// subscriber is one stream's place in the hub: the topics it reads and a
// bounded queue of frames its writer has not taken yet. The publisher only
// appends under the subscriber's own lock and never waits for the writer.
type subscriber struct {
	topics    []string
	maxEvents int
	maxBytes  int
	wake      chan struct{} // signalled when the queue gains frames or overflows

	mu         sync.Mutex
	queue      []*frame
	queueBytes int
	overflowed bool
}

func newSubscriber(topics []string, maxEvents, maxBytes int) *subscriber {
	return &subscriber{topics: topics, maxEvents: maxEvents, maxBytes: maxBytes, wake: make(chan struct{}, 1)}
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

// push queues f. A subscriber whose queue is full is marked overflowed instead
// and gets nothing more; its writer then ends the stream.
func (s *subscriber) push(f *frame) {
	s.mu.Lock()
	switch {
	case s.overflowed:
	case len(s.queue) >= s.maxEvents || s.queueBytes+len(f.wire) > s.maxBytes:
		s.overflowed = true
		s.queue, s.queueBytes = nil, 0
	default:
		s.queue = append(s.queue, f)
		s.queueBytes += len(f.wire)
	}
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// take moves the queued frames into spare, which must be empty, and returns
// them, and whether the subscriber overflowed. The caller passes the returned
// slice back, emptied, as the next spare, so the two buffers are reused.
func (s *subscriber) take(spare []*frame) (frames []*frame, overflowed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	frames, s.queue = s.queue, spare
	s.queueBytes = 0
	return frames, s.overflowed
}
