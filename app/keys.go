//go:build !(js && wasm)

package main

import (
	"fmt"
	"log/slog"

	"github.com/heraldhq/herald/server/security"
)

// sessionKeys returns the keys that sign and encrypt the session cookie:
// those of -cookie-hash-key and -cookie-block-key when set, or else those of
// the key file, which is made with new random keys the first time.
func (c *config) sessionKeys(log *slog.Logger) (security.SessionKeys, error) {
	keys, err := security.LoadKeys(c.cookieHashKey, c.cookieBlockKey, c.cookieKeyFile)
	switch {
	case c.cookieHashKey != "" || c.cookieBlockKey != "":
		if err != nil {
			return keys, fmt.Errorf("invalid -cookie-hash-key or -cookie-block-key: %w", err)
		}
		log.Info("session keys from the settings")
	case err != nil:
		return keys, fmt.Errorf("invalid -cookie-key-file: %w", err)
	case keys.Generated:
		log.Info("session keys generated and kept in a local file; set HERALD_COOKIE_HASH_KEY and HERALD_COOKIE_BLOCK_KEY to share keys between servers",
			"file", c.cookieKeyFile)
	default:
		log.Info("session keys read from a local file", "file", c.cookieKeyFile)
	}
	return keys, nil
}
