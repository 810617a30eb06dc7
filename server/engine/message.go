package engine

import "fmt"

// Message is one event to publish: its topic, its type and its data, already
// validated against the schema.
type Message struct {
	Topic string
	Type  string
	Data  []byte
	// Key, if set, makes the publish idempotent: a message whose Key was
	// stored within the broker's dedupe window is not stored again, and gets
	// the first one's id. See ValidateKey.
	Key string
}

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
