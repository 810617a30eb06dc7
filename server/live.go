package server

import (
	"context"
	"sync"
)

// liveStreams are a Server's live streams, so that Drain can end them and
// wait for them: streams taken from net/http are no longer waited for by
// http.Server.Shutdown.
type liveStreams struct {
	mu       sync.Mutex
	streams  map[*stream]struct{}
	draining bool
	emptied  chan struct{} // closed once no stream is left, when waited for
}

// add makes st one of the live streams. It reports false when the server
// drains: st must end.
func (l *liveStreams) add(st *stream) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.streams == nil {
		l.streams = map[*stream]struct{}{}
	}
	l.streams[st] = struct{}{}
	return !l.draining
}

// remove forgets st, which has ended.
func (l *liveStreams) remove(st *stream) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.streams, st)
	if len(l.streams) == 0 && l.emptied != nil {
		close(l.emptied)
		l.emptied = nil
	}
}

// drain marks the server draining and returns the live streams.
func (l *liveStreams) drain() []*stream {
	l.mu.Lock()
	l.draining = true
	l.mu.Unlock()
	return l.all()
}

// all returns the live streams.
func (l *liveStreams) all() []*stream {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]*stream, 0, len(l.streams))
	for st := range l.streams {
		out = append(out, st)
	}
	return out
}

// wait returns once no stream is left, and reports true, or once ctx is
// done, and reports whether none is left.
func (l *liveStreams) wait(ctx context.Context) bool {
	l.mu.Lock()
	if len(l.streams) == 0 {
		l.mu.Unlock()
		return true
	}
	if l.emptied == nil {
		l.emptied = make(chan struct{})
	}
	ch := l.emptied
	l.mu.Unlock()
	select {
	case <-ch:
		return true
	case <-ctx.Done():
		l.mu.Lock()
		defer l.mu.Unlock()
		return len(l.streams) == 0
	}
}
