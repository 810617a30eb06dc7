package security

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// The lines of a key file.
const (
	keyFileHeader = "# Herald's session cookie keys. Keep this file secret; delete it to sign everyone out.\n"
	hashKeyField  = "hash-key="
	blockKeyField = "block-key="
)

// LoadKeyFile returns the session keys of the key file at path. When the
// file does not exist, it first writes new random keys there (a 64-byte hash
// key and a 32-byte block key, in hex), in a file of mode 0600 in a
// directory of mode 0700, and the keys it returns say Generated. Servers
// that start together with the same path all get the keys of the one that
// wrote first. Delete the file to make new keys, which signs everyone out.
func LoadKeyFile(path string) (SessionKeys, error) {
	keys, err := readKeyFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return keys, err
	}
	keys = SessionKeys{HashKey: make([]byte, 64), BlockKey: make([]byte, 32), Generated: true}
	rand.Read(keys.HashKey)
	rand.Read(keys.BlockKey)
	if err := writeKeyFile(path, keys); errors.Is(err, fs.ErrExist) {
		// Another process made it first: use its keys.
		return readKeyFile(path)
	} else if err != nil {
		return SessionKeys{}, err
	}
	return keys, nil
}

// readKeyFile reads and checks the keys of the file at path. A file that
// others than its owner may read or write is refused: anyone who reads the
// keys can forge every user's session.
func readKeyFile(path string) (SessionKeys, error) {
	data, err := readPrivateFile(path)
	if err != nil {
		return SessionKeys{}, err
	}
	var keys SessionKeys
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, hashKeyField):
			keys.HashKey, err = hex.DecodeString(strings.TrimPrefix(line, hashKeyField))
		case strings.HasPrefix(line, blockKeyField):
			keys.BlockKey, err = hex.DecodeString(strings.TrimPrefix(line, blockKeyField))
		}
		if err != nil {
			return SessionKeys{}, fmt.Errorf("session key file %s: a key is not hex", path)
		}
	}
	if err := CheckSessionKeys(keys.HashKey, keys.BlockKey); err != nil {
		return SessionKeys{}, fmt.Errorf("session key file %s: %w (delete the file to make new keys)", path, err)
	}
	return keys, nil
}

// readPrivateFile returns the content of the file at path, unless its mode
// lets others than its owner read or write it.
func readPrivateFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read session key file: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read session key file: %w", err)
	}
	if mode := info.Mode().Perm(); mode&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("session key file %s has mode %04o: others may read or change the keys; make it 0600 (chmod 600 %s)", path, mode, path)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("read session key file %s: %w", path, err)
	}
	return data, nil
}

// writeKeyFile writes keys to a new file at path, mode 0600 in a directory
// of mode 0700, whole or not at all. It fails with fs.ErrExist when the file
// exists.
func writeKeyFile(path string, keys SessionKeys) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("make the directory of session key file %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, ".cookie-keys-*")
	if err != nil {
		return fmt.Errorf("write session key file %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	content := keyFileHeader +
		hashKeyField + hex.EncodeToString(keys.HashKey) + "\n" +
		blockKeyField + hex.EncodeToString(keys.BlockKey) + "\n"
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return fmt.Errorf("write session key file %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write session key file %s: %w", path, err)
	}
	// A link is made only if path does not exist: two servers starting
	// together cannot overwrite each other's keys.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		return fmt.Errorf("write session key file %s: %w", path, err)
	}
	return nil
}
