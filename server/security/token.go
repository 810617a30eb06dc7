package security

import (
	"crypto/sha256"
	"crypto/subtle"
)

// TokenEqual compares a token with the configured one in constant time,
// whatever their lengths.
func TokenEqual(got, want string) bool {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}
