package security

import (
	"fmt"
	"net/http"
	"net/netip"
	"sync"
)

// Limiter counts the open streams, in total, per client address and per
// user, against their limits.
type Limiter struct {
	max, perClient, perUser int

	mu      sync.Mutex
	total   int
	clients map[string]int
	users   map[string]int
}

// NewLimiter returns a Limiter of max streams in total, perClient per client
// address and perUser per signed-in user.
func NewLimiter(max, perClient, perUser int) *Limiter {
	return &Limiter{
		max: max, perClient: perClient, perUser: perUser,
		clients: map[string]int{}, users: map[string]int{},
	}
}

// LimitError is a refusal over a connection limit.
type LimitError struct {
	// Status is 429 over the limit of a client or a user, 503 over the
	// server's.
	Status int
	msg    string
}

// Error says which limit is reached.
func (e *LimitError) Error() string { return e.msg }

// Acquire takes a stream for client and user (empty when signed out), or
// says which limit is reached. The caller calls release when the stream
// ends.
func (l *Limiter) Acquire(client, user string) (release func(), err *LimitError) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.clients[client] >= l.perClient:
		return nil, &LimitError{http.StatusTooManyRequests, fmt.Sprintf("too many streams from this address: at most %d", l.perClient)}
	case user != "" && l.users[user] >= l.perUser:
		return nil, &LimitError{http.StatusTooManyRequests, fmt.Sprintf("too many streams for user %q: at most %d", user, l.perUser)}
	case l.total >= l.max:
		return nil, &LimitError{http.StatusServiceUnavailable, fmt.Sprintf("server is at its %d streams", l.max)}
	}
	l.total++
	l.clients[client]++
	if user != "" {
		l.users[user]++
	}
	var once sync.Once
	return func() { once.Do(func() { l.release(client, user) }) }, nil
}

func (l *Limiter) release(client, user string) {
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

// ClientKey is what the streams of the client at host are counted under:
// the IPv4 address, or the /64 network of an IPv6 address, which one client
// can draw many addresses from.
func ClientKey(host string) string {
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
