//go:build !(js && wasm)

package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/heraldhq/herald/server/security"
)

// sessionKeys returns the keys that sign and encrypt the session cookie:
// those of -cookie-hash-key and -cookie-block-key when set, or else those of
// the key file, which is made with new random keys the first time.
func (c *config) sessionKeys(log *slog.Logger) (hashKey, blockKey []byte, err error) {
	if c.cookieHashKey != "" || c.cookieBlockKey != "" {
		hashKey, blockKey, err = c.flagKeys()
		if err == nil {
			log.Info("session keys from the settings")
		}
		return hashKey, blockKey, err
	}
	hashKey, blockKey, made, err := loadOrMakeKeyFile(c.cookieKeyFile)
	if err != nil {
		return nil, nil, err
	}
	if made {
		log.Info("session keys generated and kept in a local file; set HERALD_COOKIE_HASH_KEY and HERALD_COOKIE_BLOCK_KEY to share keys between servers",
			"file", c.cookieKeyFile)
	} else {
		log.Info("session keys read from a local file", "file", c.cookieKeyFile)
	}
	return hashKey, blockKey, nil
}

// flagKeys decodes -cookie-hash-key and -cookie-block-key, which must be set
// together.
func (c *config) flagKeys() (hashKey, blockKey []byte, err error) {
	if c.cookieHashKey == "" || c.cookieBlockKey == "" {
		return nil, nil, errors.New("set -cookie-hash-key and -cookie-block-key together, or neither to use -cookie-key-file")
	}
	if hashKey, err = decodeKey(c.cookieHashKey); err != nil {
		return nil, nil, fmt.Errorf("invalid -cookie-hash-key: %w", err)
	}
	if blockKey, err = decodeKey(c.cookieBlockKey); err != nil {
		return nil, nil, fmt.Errorf("invalid -cookie-block-key: %w", err)
	}
	if err := security.CheckSessionKeys(hashKey, blockKey); err != nil {
		return nil, nil, fmt.Errorf("invalid -cookie-hash-key or -cookie-block-key: %w (make one with: openssl rand -hex 32)", err)
	}
	return hashKey, blockKey, nil
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

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return s != ""
}

// The lines of the key file.
const (
	keyFileHeader = "# Herald's session cookie keys. Keep this file secret; delete it to sign everyone out.\n"
	hashKeyField  = "hash-key="
	blockKeyField = "block-key="
)

// loadOrMakeKeyFile reads the keys of the file at path, or, when it does not
// exist, writes new random keys there, readable by the owner only. made
// tells which.
func loadOrMakeKeyFile(path string) (hashKey, blockKey []byte, made bool, err error) {
	hashKey, blockKey, err = readKeyFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return hashKey, blockKey, false, err
	}
	hashKey, blockKey = make([]byte, 64), make([]byte, 32)
	rand.Read(hashKey)
	rand.Read(blockKey)
	if err := writeKeyFile(path, hashKey, blockKey); errors.Is(err, fs.ErrExist) {
		// Another process made it first: use its keys.
		hashKey, blockKey, err = readKeyFile(path)
		return hashKey, blockKey, false, err
	} else if err != nil {
		return nil, nil, false, err
	}
	return hashKey, blockKey, true, nil
}

// readKeyFile reads and checks the keys of the file at path.
func readKeyFile(path string) (hashKey, blockKey []byte, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read -cookie-key-file: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, hashKeyField):
			hashKey, err = hex.DecodeString(strings.TrimPrefix(line, hashKeyField))
		case strings.HasPrefix(line, blockKeyField):
			blockKey, err = hex.DecodeString(strings.TrimPrefix(line, blockKeyField))
		}
		if err != nil {
			return nil, nil, fmt.Errorf("-cookie-key-file %s: a key is not hex", path)
		}
	}
	if err := security.CheckSessionKeys(hashKey, blockKey); err != nil {
		return nil, nil, fmt.Errorf("-cookie-key-file %s: %w (delete the file to make new keys)", path, err)
	}
	return hashKey, blockKey, nil
}

// writeKeyFile writes the keys to a new file at path, mode 0600 in a
// directory of mode 0700, whole or not at all. It fails with fs.ErrExist
// when the file exists.
func writeKeyFile(path string, hashKey, blockKey []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("make the directory of -cookie-key-file: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".cookie-keys-*")
	if err != nil {
		return fmt.Errorf("write -cookie-key-file: %w", err)
	}
	defer os.Remove(tmp.Name())
	content := keyFileHeader + hashKeyField + hex.EncodeToString(hashKey) + "\n" + blockKeyField + hex.EncodeToString(blockKey) + "\n"
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return fmt.Errorf("write -cookie-key-file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write -cookie-key-file: %w", err)
	}
	// A link is made only if path does not exist: two servers starting
	// together cannot overwrite each other's keys.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		return fmt.Errorf("write -cookie-key-file: %w", err)
	}
	return nil
}
