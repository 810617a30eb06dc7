package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// MaxKeyLen is the longest idempotency key accepted.
const MaxKeyLen = 128

// ValidateKey reports whether key is a valid idempotency key: 1 to MaxKeyLen
// printable ASCII characters, no space.
func ValidateKey(key string) error {
	if key == "" || len(key) > MaxKeyLen {
		return fmt.Errorf("idempotency key %.20q is not 1 to %d characters", key, MaxKeyLen)
	}
	for i := 0; i < len(key); i++ {
		if key[i] <= ' ' || key[i] > '~' {
			return fmt.Errorf("idempotency key %.20q has %q, not a printable ASCII character", key, key[i])
		}
	}
	return nil
}

// requestKey returns the Idempotency-Key header of r, "" when there is none.
func requestKey(r *http.Request) (string, error) {
	vs := r.Header.Values("Idempotency-Key")
	switch {
	case len(vs) == 0:
		return "", nil
	case len(vs) > 1:
		return "", errors.New("more than one Idempotency-Key header")
	}
	if err := ValidateKey(vs[0]); err != nil {
		return "", fmt.Errorf("bad Idempotency-Key: %w", err)
	}
	return vs[0], nil
}

// withKey sets the key of each message of a request whose key is key: the key
// itself for one event, and key#i for the i-th event of a batch, so a batch
// retried with the same key and body maps onto the same keys.
func withKey(msgs []Message, key string, batch bool) []Message {
	if key == "" {
		return msgs
	}
	for i := range msgs {
		msgs[i].Key = key
		if batch {
			msgs[i].Key = key + "#" + strconv.Itoa(i)
		}
	}
	return msgs
}

// writePublishError answers a publish the broker refused: 413 for a message
// or batch too large for it, and otherwise 503 with Retry-After, as the
// broker or the server may take it later.
func (s *Server) writePublishError(w http.ResponseWriter, err error) {
	if errors.Is(err, ErrTooLarge) {
		writeError(w, http.StatusRequestEntityTooLarge, "publish: "+err.Error())
		return
	}
	writeBusy(w, http.StatusServiceUnavailable, s.cfg.Retry, "publish: "+err.Error())
}
