package server

import (
	"fmt"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// The defaults of the connection limits: enough for a small server, and no
// single address or user can take it all.
const (
	DefaultMaxConns          = 10_000
	DefaultMaxConnsPerClient = 100
	DefaultMaxConnsPerUser   = 20
)

// busyRetry is the Retry-After of an answer over a connection limit.
const busyRetry = 5 * time.Second

// limiter counts the open streams, in total, per client address and per
// user, against their limits.
type limiter struct {
	max, perClient, perUser int

	mu      sync.Mutex
	total   int
	clients map[string]int
	users   map[string]int
}

func newLimiter(max, perClient, perUser int) *limiter {
	return &limiter{
		max: max, perClient: perClient, perUser: perUser,
		clients: map[string]int{}, users: map[string]int{},
	}
}

// limitError is a refusal over a connection limit.
type limitError struct {
	status int // 429 for a client or a user, 503 for the server
	msg    string
}

func (e *limitError) Error() string { return e.msg }

// acquire takes a stream for client and user (empty when signed out), or
// says which limit is reached. The caller calls release when the stream
// ends.
func (l *limiter) acquire(client, user string) (release func(), err *limitError) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.clients[client] >= l.perClient:
		return nil, &limitError{http.StatusTooManyRequests, fmt.Sprintf("too many streams from this address: at most %d", l.perClient)}
	case user != "" && l.users[user] >= l.perUser:
		return nil, &limitError{http.StatusTooManyRequests, fmt.Sprintf("too many streams for user %q: at most %d", user, l.perUser)}
	case l.total >= l.max:
		return nil, &limitError{http.StatusServiceUnavailable, fmt.Sprintf("server is at its %d streams", l.max)}
	}
	l.total++
	l.clients[client]++
	if user != "" {
		l.users[user]++
	}
	var once sync.Once
	return func() { once.Do(func() { l.release(client, user) }) }, nil
}

func (l *limiter) release(client, user string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total--
	if l.clients[client]--; l.clients[client] <= 0 {
		delete(l.clients, client)
	}
	if user != "" {
		if l.users[user]--; l.users[user] <= 0 {
			delete(l.users, user)
		}
	}
}

// clientKey is what the streams of the client at host are counted under:
// the IPv4 address, or the /64 network of an IPv6 address, which one client
// can draw many addresses from.
func clientKey(host string) string {
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	addr = addr.Unmap()
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}

// admission is a stream let in by admitStream.
type admission struct {
	// release frees the stream's place under the connection limits.
	release func()
	// session is the id of the session whose sign-out ends the stream, and
	// expires when the stream ends with that session: "" and zero when the
	// stream does not depend on a session (see sessionBound).
	session string
	expires time.Time
}

// admitStream checks that the request's user may read every topic and that
// a stream is free under the connection limits. It answers a refusal itself
// and returns false; otherwise the caller calls the admission's release when
// the stream ends.
func (s *Server) admitStream(w http.ResponseWriter, r *http.Request, topics []string) (admission, bool) {
	u, session := s.identify(r)
	for _, t := range topics {
		if !s.sec.authorizer.CanRead(u, t) {
			refuseTopic(w, u, "read", t)
			return admission{}, false
		}
	}
	client, _ := s.sec.proxies.clientAddr(r)
	release, err := s.sec.limits.acquire(clientKey(client), u.Name)
	if err != nil {
		writeBusy(w, err.status, busyRetry, err.msg)
		return admission{}, false
	}
	a := admission{release: release}
	if s.sessionBound(topics) {
		a.session, a.expires = session, u.Expires
	}
	return a, true
}

// sessionBound reports whether a stream of topics depends on its user's
// session: whether a signed-out user may not read one of them. Such a stream
// ends when the session does; any other carries nothing private and stays.
func (s *Server) sessionBound(topics []string) bool {
	for _, t := range topics {
		if !s.sec.authorizer.CanRead(User{}, t) {
			return true
		}
	}
	return false
}

// bindSession makes the stream of sub, admitted as a, one that the sign-out
// of its session ends, if it depends on one.
func (s *Server) bindSession(a *admission, sub *subscriber) {
	if a.session != "" {
		a.release = s.bySession.add(a.session, sub, a.release)
	}
}
