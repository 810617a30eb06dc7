package security

import (
	"context"
	"sync"
	"time"
)

// Revocations remembers the sessions that were signed out before their
// cookie expired, so that a copy of the cookie kept after sign-out is
// refused. Servers that share one (such as natsbroker's) refuse a session
// signed out on any of them.
type Revocations interface {
	// Revoke records that session id ends now. The record may be forgotten
	// after until, when the session's cookie expires anyway.
	Revoke(ctx context.Context, id string, until time.Time) error
	// Revoked reports whether session id was revoked. An error means it
	// cannot tell; the server then takes the session as signed out.
	Revoked(ctx context.Context, id string) (bool, error)
}

// MemoryRevocations are the Revocations of one process: a sign-out on
// another server, or before a restart, is not known. The zero value is
// ready to use.
type MemoryRevocations struct {
	mu      sync.Mutex
	expires map[string]time.Time
}

var _ Revocations = (*MemoryRevocations)(nil)

// Revoke records id until until, and forgets the revocations that have
// expired.
func (m *MemoryRevocations) Revoke(_ context.Context, id string, until time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	for k, t := range m.expires {
		if !now.Before(t) {
			delete(m.expires, k)
		}
	}
	if m.expires == nil {
		m.expires = map[string]time.Time{}
	}
	m.expires[id] = until
	return nil
}

// Revoked reports whether id was revoked and its record has not expired.
func (m *MemoryRevocations) Revoked(_ context.Context, id string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	until, ok := m.expires[id]
	return ok && time.Now().Before(until), nil
}

// Len returns the number of revocations kept, expired ones included until
// the next Revoke forgets them.
func (m *MemoryRevocations) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.expires)
}
