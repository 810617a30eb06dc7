package natsbroker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/heraldhq/herald/server/security"
	"github.com/nats-io/nats.go/jetstream"
)

// DefaultRevocationsBucket is the JetStream key-value bucket of the revoked
// sessions.
const DefaultRevocationsBucket = "HERALD_REVOKED"

// Revocations are security.Revocations kept in a JetStream key-value
// bucket, one key per revoked session, so that a session signed out on one
// server is refused by every server that shares the bucket. Make them with
// Broker.Revocations.
type Revocations struct {
	kv      jetstream.KeyValue
	timeout time.Duration
}

var _ security.Revocations = (*Revocations)(nil)

// Revocations opens, creating it if need be, the key-value bucket of the
// revoked sessions on b's NATS connection. Its keys expire after maxAge,
// which must be at least the sessions' longest life
// (SessionConfig.MaxAge): by then a revoked cookie has expired anyway. An
// empty bucket is DefaultRevocationsBucket.
func (b *Broker) Revocations(ctx context.Context, bucket string, maxAge time.Duration) (*Revocations, error) {
	if bucket == "" {
		bucket = DefaultRevocationsBucket
	}
	if maxAge <= 0 {
		return nil, fmt.Errorf("open revocations bucket %q: max age %v is not positive", bucket, maxAge)
	}
	ctx, cancel := b.withTimeout(ctx)
	defer cancel()
	kv, err := b.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      bucket,
		Description: "Herald sessions signed out before their cookie expired",
		TTL:         maxAge,
		History:     1,
		Storage:     jetstream.FileStorage,
		Replicas:    b.cfg.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("open revocations bucket %q: %w", bucket, unavailable(err))
	}
	return &Revocations{kv: kv, timeout: b.cfg.Timeout}, nil
}

// Revoke records session id in the bucket, where it stays for the
// bucket's max age.
func (r *Revocations) Revoke(ctx context.Context, id string, _ time.Time) error {
	if err := checkSessionID(id); err != nil {
		return err
	}
	ctx, cancel := r.withTimeout(ctx)
	defer cancel()
	if _, err := r.kv.Put(ctx, id, nil); err != nil {
		return fmt.Errorf("revoke session in bucket %q: %w", r.kv.Bucket(), unavailable(err))
	}
	return nil
}

// Revoked reports whether session id is in the bucket.
func (r *Revocations) Revoked(ctx context.Context, id string) (bool, error) {
	if err := checkSessionID(id); err != nil {
		return false, err
	}
	ctx, cancel := r.withTimeout(ctx)
	defer cancel()
	_, err := r.kv.Get(ctx, id)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, jetstream.ErrKeyNotFound):
		return false, nil
	}
	return false, fmt.Errorf("look up session in bucket %q: %w", r.kv.Bucket(), unavailable(err))
}

func (r *Revocations) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, r.timeout)
}

// checkSessionID reports whether id can be a key of the bucket: 1 to 64
// letters and digits, as the session ids Sessions makes are.
func checkSessionID(id string) error {
	if id == "" || len(id) > 64 {
		return fmt.Errorf("session id of %d bytes is not 1 to 64", len(id))
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return fmt.Errorf("session id has %q, not a letter or digit", c)
		}
	}
	return nil
}
