//go:build !(js && wasm)

package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestKeysAreReadInHexOrBase64(t *testing.T) {
	key := bytes.Repeat([]byte{0xfb, 0xff, 0x01}, 11)[:32]
	cases := []struct {
		name, text string
	}{
		{"hex", hex.EncodeToString(key)},
		{"upper-case hex", strings.ToUpper(hex.EncodeToString(key))},
		{"standard base64", base64.StdEncoding.EncodeToString(key)},
		{"unpadded base64", base64.RawStdEncoding.EncodeToString(key)},
		{"URL-safe base64", base64.URLEncoding.EncodeToString(key)},
		{"base64 with spaces around", "  " + base64.StdEncoding.EncodeToString(key) + "\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := decodeKey(c.text)
			if err != nil || !bytes.Equal(got, key) {
				t.Errorf("decodeKey(%q) = %x, %v; want %x", c.text, got, err, key)
			}
		})
	}
}

func TestBadKeySettingsNameTheSettingAndNeverTheKey(t *testing.T) {
	hash64 := hex.EncodeToString(make([]byte, 32))
	block := hex.EncodeToString(make([]byte, 32))
	cases := []struct {
		name, hash, block, want string
	}{
		{"a hash key that is too short", "c2hvcnQtc2VjcmV0", block, "-cookie-hash-key or -cookie-block-key: session hash key is 12 bytes"},
		{"a block key of no AES size", hash64, hex.EncodeToString(make([]byte, 20)), "session block key is 20 bytes"},
		{"a hash key that is not hex nor base64", "not a key!!", block, "invalid -cookie-hash-key"},
		{"a hash key alone", hash64, "", "together"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := config{securityConfig: securityConfig{cookieHashKey: c.hash, cookieBlockKey: c.block}}
			_, _, err := cfg.sessionKeys(slog.New(slog.DiscardHandler))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one with %q", err, c.want)
			}
			if strings.Contains(err.Error(), "c2hvcnQtc2VjcmV0") || strings.Contains(err.Error(), "not a key") {
				t.Errorf("error %q shows the key", err)
			}
		})
	}
}

func TestKeysAreGeneratedOnceIntoAPrivateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".herald", "cookie-keys")
	var logs bytes.Buffer
	cfg := config{securityConfig: securityConfig{cookieKeyFile: path}}
	hash1, block1, err := cfg.sessionKeys(slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if len(hash1) != 64 || len(block1) != 32 {
		t.Errorf("generated keys of %d and %d bytes, want 64 and 32", len(hash1), len(block1))
	}
	if !strings.Contains(logs.String(), "session keys generated") || !strings.Contains(logs.String(), path) {
		t.Errorf("log %q does not say the keys were generated into %s", logs.String(), path)
	}
	if strings.Contains(logs.String(), hex.EncodeToString(hash1)) {
		t.Error("the log shows the key")
	}
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, %v; want %v", p, fi.Mode().Perm(), err, want)
		}
	}
	hash2, block2, err := cfg.sessionKeys(slog.New(slog.DiscardHandler))
	if err != nil || !bytes.Equal(hash1, hash2) || !bytes.Equal(block1, block2) {
		t.Errorf("a second start read other keys (%v): sessions would not survive a restart", err)
	}
}

func TestServersStartingTogetherShareOneKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	const n = 8
	keys := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			h, _, _, err := loadOrMakeKeyFile(path)
			if err != nil {
				t.Error(err)
			}
			keys[i] = h
		})
	}
	wg.Wait()
	for i := 1; i < n; i++ {
		if !bytes.Equal(keys[i], keys[0]) {
			t.Fatalf("start %d got other keys than start 0", i)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the key directory holds %d files, want only the key file", len(entries))
	}
}

func TestADamagedKeyFileIsAnErrorNamingIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(path, []byte("hash-key=abcd\nblock-key=zz\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, _, err := loadOrMakeKeyFile(path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v, want one naming %s", err, path)
	}
}

func TestInvalidSecuritySettingsAreRefused(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"a wildcard origin", []string{"-allowed-origins", "*"}, "-allowed-origins"},
		{"an origin with a path", []string{"-allowed-origins", "https://a.example/app"}, "path"},
		{"SameSite none", []string{"-cookie-same-site", "none"}, "-cookie-same-site"},
		{"a certificate without its key", []string{"-tls-cert", "cert.pem"}, "-tls-key"},
		{"a hash key without a block key", []string{"-cookie-hash-key", strings.Repeat("ab", 32)}, "together"},
		{"no streams at all", []string{"-max-conns", "0"}, "-max-conns"},
		{"a negative per-user limit", []string{"-max-conns-per-user", "-1"}, "-max-conns-per-user"},
		{"a negative session lifetime", []string{"-session-max-age", "-1h"}, "-session-max-age"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseConfig(c.args, func(string) string { return "" }, io.Discard)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one with %q", err, c.want)
			}
		})
	}
}
