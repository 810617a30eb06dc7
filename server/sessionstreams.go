package server

import (
	"sync"

	"github.com/heraldhq/herald/server/engine"
)

// sessionStreams are the open streams of each session, by session id, so
// that signing out ends them. A stream is here from its subscription to its
// end, and only when it reads a topic that a signed-out user may not read:
// there are never more entries than open streams.
type sessionStreams struct {
	mu      sync.Mutex
	streams map[string]map[*engine.Subscriber]struct{}
}

// add records sub as a stream of session id and returns release wrapped so
// that it forgets sub first.
func (ss *sessionStreams) add(id string, sub *engine.Subscriber, release func()) func() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.streams == nil {
		ss.streams = map[string]map[*engine.Subscriber]struct{}{}
	}
	subs := ss.streams[id]
	if subs == nil {
		subs = map[*engine.Subscriber]struct{}{}
		ss.streams[id] = subs
	}
	subs[sub] = struct{}{}
	return func() {
		ss.remove(id, sub)
		release()
	}
}

// remove forgets sub, a stream of session id, which has ended.
func (ss *sessionStreams) remove(id string, sub *engine.Subscriber) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	subs := ss.streams[id]
	delete(subs, sub)
	if len(subs) == 0 {
		delete(ss.streams, id)
	}
}

// end tells every stream of session id that its session has ended. A
// stream not yet live takes the note when it goes live.
func (ss *sessionStreams) end(id string) {
	ss.mu.Lock()
	subs := make([]*engine.Subscriber, 0, len(ss.streams[id]))
	for sub := range ss.streams[id] {
		subs = append(subs, sub)
	}
	ss.mu.Unlock()
	for _, sub := range subs {
		sub.Signal(engine.NoteSessionEnded)
	}
}

// len returns how many sessions have open streams.
func (ss *sessionStreams) len() int {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return len(ss.streams)
}
