//go:build js && wasm

package eventsource

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"syscall/js"
	"time"

	"github.com/heraldhq/herald/shared"
)

// seesEveryType is false in the browser: its EventSource only dispatches the
// types it listens to, so OnAny listeners get only the types watched.
const seesEveryType = false

// resyncEvery is how often a tab that has not caught up with the tab holding
// the connection asks again.
const resyncEvery = 2 * time.Second

// platform is what a browser Source keeps besides its listeners and state.
type platform struct {
	tab   string // this Source's name in notes between tabs
	inbox inbox

	jsMu   sync.Mutex
	closed bool
	types  map[string]bool // types this tab listens to
	extra  map[string]bool // types other tabs listen to
	conn   *conn           // the connection, while this tab holds it
	share  *share          // nil when not sharing
	early  early           // the page's early stream, while waitsEarly
	// waitsEarly is set while the connection waits for the first listener to
	// adopt the page's early stream (see adoptEarly).
	waitsEarly bool

	// Used on the inbox goroutine only.
	recent  recent
	synced  bool   // this tab has caught up with the tab holding the connection
	stored  string // the last event id written to storage
	waiting bool   // a resync is scheduled
}

// pageURL returns the URL of the page, which relative URLs resolve against.
func pageURL() (u *url.URL, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("read the page's URL: %v", r)
		}
	}()
	href := js.Global().Get("location").Get("href").String()
	if u, err = url.Parse(href); err != nil {
		return nil, fmt.Errorf("read the page's URL %q: %w", href, err)
	}
	return u, nil
}

// setUp checks that the browser can serve the Source as its options ask, and
// picks the last event id to resume from.
func (s *Source) setUp() error {
	if !js.Global().Get("EventSource").Truthy() {
		return errors.New("this browser has no EventSource")
	}
	s.tab = strconv.FormatUint(rand.Uint64(), 36)
	s.types, s.extra = map[string]bool{}, map[string]bool{}
	if !s.opts.lastEventIDSet && !s.opts.noStoredID {
		s.lastEventID = loadID(s.url)
	}
	s.stored = s.lastEventID
	s.inbox.init(s.persist)
	context.AfterFunc(s.opts.ctx, s.Close)
	return nil
}

// start runs the inbox, which closes done when the Source closes, and joins
// the other tabs or connects.
func (s *Source) start() {
	go func() {
		s.inbox.run()
		close(s.done)
	}()
	s.jsMu.Lock()
	defer s.jsMu.Unlock()
	if s.closed {
		return // the inbox is closed: its goroutine ends at once
	}
	if !s.opts.noSharing {
		s.share = openShare(s)
	}
	if s.share == nil {
		s.inbox.push(s.lead)
	} else {
		s.inbox.push(s.resync)
	}
}

// stopped reports whether listeners may no longer be called.
func (s *Source) stopped() bool { return s.inbox.isClosed() }

// watch makes the Source receive events of type typ.
func (s *Source) watch(typ string) {
	s.jsMu.Lock()
	defer s.jsMu.Unlock()
	if s.closed {
		return
	}
	s.types[typ] = true
	switch {
	case s.conn != nil:
		s.conn.watch(typ)
		if s.waitsEarly {
			s.waitsEarly = false
			e := s.early
			s.inbox.push(func() { s.adoptEarly(e) })
		}
	case s.share != nil:
		s.share.post(note{kind: noteJoin, tab: s.tab, types: []string{typ}})
	}
}

// unwatch stops receiving events of type typ, unless another tab wants them.
func (s *Source) unwatch(typ string) {
	s.jsMu.Lock()
	defer s.jsMu.Unlock()
	delete(s.types, typ)
	if s.conn != nil && !s.extra[typ] {
		s.conn.unwatch(typ)
	}
}

// stop closes the connection, hands it to another tab if this one held it,
// and releases every JS function.
func (s *Source) stop() {
	s.jsMu.Lock()
	defer s.jsMu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	if s.waitsEarly {
		s.waitsEarly = false
		s.early.drop()
	}
	s.setState(StateClosed)
	s.setRetryAt(time.Time{})
	s.inbox.close()
	if s.conn != nil {
		s.conn.close()
	}
	if s.share != nil {
		s.share.close()
	}
}

// The functions below run on the inbox goroutine.

// lead makes this tab hold the connection, from the last event id it
// delivered: the page's early stream if it resumed from there (see
// adoptEarly), else a new EventSource.
func (s *Source) lead() {
	s.jsMu.Lock()
	if s.closed {
		s.jsMu.Unlock()
		return
	}
	s.synced = true
	s.setState(StateConnecting)
	s.conn = newConn(s)
	for typ := range s.types {
		s.conn.watch(typ)
	}
	for typ := range s.extra {
		s.conn.watch(typ)
	}
	if s.share != nil {
		s.share.post(note{kind: noteHello})
	}
	e, found := findEarly(s.url)
	switch {
	case found && e.resumesFrom(s.LastEventID()) && len(s.types) == 0:
		s.early, s.waitsEarly = e, true // adopted at the first watch
		s.jsMu.Unlock()
		return
	case found && e.resumesFrom(s.LastEventID()):
		s.jsMu.Unlock()
		s.adoptEarly(e)
		return
	case found:
		e.drop() // it resumed from elsewhere: its events do not follow ours
	}
	s.conn.open(s.LastEventID())
	s.jsMu.Unlock()
}

// adoptEarly takes over the page's early stream (web/stream.js), which
// opened the Source's URL from the Source's last event id before the app
// started: it delivers the events the stream recorded, in order, then
// listens to its EventSource itself. The recording stops and the listeners
// are added in one turn of the browser's event loop, so that no event is
// lost or delivered twice between them; the events the new listeners catch
// are queued on the inbox behind this function. If the early EventSource
// has closed, or did not record a type the Source listens to, or stopped
// recording (web/stream.js bounds it), a new one opens after the recorded
// events, from the Source's last event id. It runs on the
// inbox goroutine, once the Source has listeners: before, the recorded
// events would reach none.
func (s *Source) adoptEarly(e early) {
	s.jsMu.Lock()
	c := s.conn
	if s.closed || c == nil || c.es.Truthy() {
		s.jsMu.Unlock()
		e.drop() // the Source closed or connected on its own meanwhile
		return
	}
	var es js.Value
	var recorded []message
	ok := false
	if e.records(s.types) && e.records(s.extra) {
		es, recorded, ok = e.take()
	} else {
		e.drop() // it missed events of a type the Source listens to
	}
	state := StateClosed
	if ok {
		state = ReadyState(es.Get("readyState").Int())
	}
	if state != StateClosed {
		c.attach(es)
	}
	s.jsMu.Unlock()
	for _, m := range recorded {
		s.received(m)
	}
	switch state {
	case StateOpen:
		s.connOpened(c, es)
	case StateClosed:
		s.jsMu.Lock()
		if !s.closed && s.conn == c && !c.es.Truthy() {
			c.open(s.LastEventID())
		}
		s.jsMu.Unlock()
	}
}

// leading reports whether this tab holds the connection.
func (s *Source) leading() bool {
	s.jsMu.Lock()
	defer s.jsMu.Unlock()
	return s.conn != nil
}

// post sends n to the other tabs, if the Source shares its connection.
func (s *Source) post(n note) {
	s.jsMu.Lock()
	defer s.jsMu.Unlock()
	if s.share != nil && !s.closed {
		s.share.post(n)
	}
}

// received handles an event of the connection: this tab delivers it and
// relays it to the others.
func (s *Source) received(m message) {
	r := relayed{message: m, prev: s.LastEventID()}
	s.recent.add(r)
	s.post(note{kind: noteEvent, event: r})
	s.deliver(m)
}

func (s *Source) connOpened(c *conn, es js.Value) {
	s.jsMu.Lock()
	ok := s.conn == c && c.current(es)
	if ok {
		c.opened = true
	}
	s.jsMu.Unlock()
	if !ok {
		return
	}
	s.setRetryAt(time.Time{})
	s.post(note{kind: noteState, state: StateOpen})
	s.opened()
}

func (s *Source) connFailed(c *conn, es js.Value) {
	s.jsMu.Lock()
	ok := s.conn == c && c.current(es)
	var at time.Time
	if ok {
		at = c.fail()
	}
	s.jsMu.Unlock()
	if !ok {
		return
	}
	s.setState(StateConnecting)
	s.setRetryAt(at)
	s.post(note{kind: noteState, state: StateConnecting, retryAt: at})
	s.reportError(ErrConnection)
}

// reconnect opens the connection again after a failure.
func (s *Source) reconnect(c *conn) {
	s.jsMu.Lock()
	defer s.jsMu.Unlock()
	if s.closed || s.conn != c || c.es.Truthy() {
		return
	}
	c.timer = nil
	c.open(s.LastEventID())
}

// reconnectNow opens the connection again at once, in the inbox's turn.
func (s *Source) reconnectNow() { s.inbox.push(s.reopen) }

// reopen replaces the EventSource with a new one that resumes from the last
// event id, if this tab holds the connection, or asks the tab that does.
func (s *Source) reopen() {
	s.jsMu.Lock()
	c := s.conn
	if s.closed || c == nil {
		s.jsMu.Unlock()
		s.post(note{kind: noteReconnect})
		return
	}
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	c.detach()
	c.opened, c.failures = false, 0
	c.open(s.LastEventID())
	s.jsMu.Unlock()
	s.setState(StateConnecting)
	s.setRetryAt(time.Time{})
	s.post(note{kind: noteState, state: StateConnecting})
}

// onNote handles a note from another tab.
func (s *Source) onNote(n note) {
	if n.kind == noteJoin {
		s.addExtra(n.types)
	}
	if s.leading() {
		switch {
		case n.kind == noteJoin && n.sync:
			s.answer(n)
		case n.kind == noteReconnect:
			s.reopen()
		}
		return
	}
	switch n.kind {
	case noteHello:
		s.setState(StateConnecting)
		s.post(note{kind: noteJoin, tab: s.tab, types: s.typeList(), sync: !s.synced, after: s.LastEventID()})
	case noteEvent:
		s.follow(n.event)
	case noteState:
		s.applyState(n.state, n.retryAt)
	case noteReplay:
		s.catchUp(n)
	}
}

// addExtra records the types another tab listens to, so that this tab
// receives them too while, or once, it holds the connection.
func (s *Source) addExtra(types []string) {
	s.jsMu.Lock()
	defer s.jsMu.Unlock()
	for _, typ := range types {
		s.extra[typ] = true
		if s.conn != nil {
			s.conn.watch(typ)
		}
	}
}

func (s *Source) typeList() []string {
	s.jsMu.Lock()
	defer s.jsMu.Unlock()
	return slices.Collect(maps.Keys(s.types))
}

// answer sends a tab that asks what followed its last event id.
func (s *Source) answer(n note) {
	last := s.LastEventID()
	events, found := s.recent.since(n.after, last)
	s.post(note{
		kind: noteReplay, tab: n.tab, after: n.after, found: found, last: last, events: events,
		state: s.ReadyState(), retryAt: s.RetryAt(),
	})
}

// follow handles an event relayed by the tab that holds the connection.
func (s *Source) follow(m relayed) {
	if !s.synced {
		return // the replay this tab waits for holds it
	}
	switch s.recent.judge(m, s.LastEventID()) {
	case deliverIt:
		s.recent.add(m)
		s.deliver(m.message)
	case resync:
		s.synced = false
		s.resync()
	}
}

// resync asks the tab holding the connection for the events after this tab's
// last event id, and asks again every resyncEvery until it has them or holds
// the connection itself.
func (s *Source) resync() {
	if s.synced || s.leading() {
		return
	}
	s.post(note{kind: noteJoin, tab: s.tab, types: s.typeList(), sync: true, after: s.LastEventID()})
	if !s.waiting {
		s.waiting = true
		time.AfterFunc(resyncEvery, func() {
			s.inbox.push(func() {
				s.waiting = false
				s.resync()
			})
		})
	}
}

// catchUp delivers the replay that answers this tab's last join.
func (s *Source) catchUp(n note) {
	if s.synced || n.tab != s.tab || n.after != s.LastEventID() {
		return
	}
	if !n.found {
		s.deliverGap(n.after, n.events)
	}
	for _, m := range n.events {
		if !m.advances() || !s.recent.has(m.id) {
			s.recent.add(m)
			s.deliver(m.message)
		}
	}
	s.setLastEventID(n.last)
	s.synced = true
	if e, ok := findEarly(s.url); ok {
		e.drop() // the tab holding the connection relays its events
	}
	s.applyState(n.state, n.retryAt)
}

// deliverGap tells the OnGap listeners that this tab missed events the tab
// holding the connection no longer keeps.
func (s *Source) deliverGap(after string, held []relayed) {
	g := shared.Gap{LastEventID: after}
	for _, m := range held {
		if m.advances() {
			g.OldestID = m.id
			break
		}
	}
	data, err := shared.GapEvent.Encode(g)
	if err != nil {
		return
	}
	s.deliver(message{typ: shared.GapEvent.Name(), data: string(data), id: after})
}

// applyState takes on the state of the connection another tab holds.
func (s *Source) applyState(state ReadyState, retryAt time.Time) {
	switch state {
	case StateOpen:
		s.setRetryAt(time.Time{})
		if s.ReadyState() != StateOpen {
			s.opened()
		}
	case StateConnecting:
		s.setState(StateConnecting)
		if !retryAt.IsZero() && !retryAt.Equal(s.RetryAt()) {
			s.setRetryAt(retryAt)
			s.reportError(ErrConnection)
		}
	}
}

// persist stores the last event id, after each batch of the inbox, unless
// the Source was made WithoutStoredID.
func (s *Source) persist() {
	if s.opts.noStoredID {
		return
	}
	if id := s.LastEventID(); id != s.stored {
		s.stored = id
		storeID(s.url, id)
	}
}
