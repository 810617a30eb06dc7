package security

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// SessionKeys are the keys that sign and encrypt the session cookie, for
// SessionConfig.HashKey and SessionConfig.BlockKey.
type SessionKeys struct {
	// HashKey signs the cookie: 32 or 64 bytes.
	HashKey []byte
	// BlockKey encrypts the cookie: 16, 24 or 32 bytes.
	BlockKey []byte
	// Generated tells that the keys were just made and written to the key
	// file, at the first start: worth a line in the log, since servers
	// that do not share that file do not share sessions.
	Generated bool
}

// LoadKeys returns the session keys written in hashKey and blockKey, each
// in hex or in base64 (padded or not, standard or URL alphabet), as they
// come from the environment; or, when both are empty, those of the key file
// at keyFile, made the first time as LoadKeyFile does. Errors never show a
// key.
func LoadKeys(hashKey, blockKey, keyFile string) (SessionKeys, error) {
	if hashKey == "" && blockKey == "" {
		return LoadKeyFile(keyFile)
	}
	if hashKey == "" || blockKey == "" {
		return SessionKeys{}, errors.New("set the session hash key and block key together, or neither to use the key file")
	}
	var keys SessionKeys
	var err error
	if keys.HashKey, err = decodeKey(hashKey); err != nil {
		return SessionKeys{}, fmt.Errorf("session hash key: %w", err)
	}
	if keys.BlockKey, err = decodeKey(blockKey); err != nil {
		return SessionKeys{}, fmt.Errorf("session block key: %w", err)
	}
	if err := CheckSessionKeys(keys.HashKey, keys.BlockKey); err != nil {
		return SessionKeys{}, fmt.Errorf("%w (make one with: openssl rand -hex 32)", err)
	}
	return keys, nil
}

// decodeKey reads a key written in hex or in base64, padded or not, standard
// or URL alphabet. The error never shows the key.
func decodeKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s)%2 == 0 && isHex(s) {
		return hex.DecodeString(s)
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("a key of %d characters is neither hex nor base64", len(s))
}

// isHex reports whether s is made of hex digits only, and not empty.
func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return s != ""
}
