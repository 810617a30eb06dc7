//go:build !(js && wasm)

package main

import (
	"bytes"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
			_, err := cfg.sessionKeys(slog.New(slog.DiscardHandler))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one with %q", err, c.want)
			}
			if strings.Contains(err.Error(), "c2hvcnQtc2VjcmV0") || strings.Contains(err.Error(), "not a key") {
				t.Errorf("error %q shows the key", err)
			}
		})
	}
}

func TestTheLogSaysWhereTheKeysComeFromAndNeverShowsThem(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".herald", "cookie-keys")
	cfg := config{securityConfig: securityConfig{cookieKeyFile: path}}
	given := config{securityConfig: securityConfig{
		cookieHashKey:  hex.EncodeToString(bytes.Repeat([]byte{1}, 32)),
		cookieBlockKey: hex.EncodeToString(bytes.Repeat([]byte{2}, 16)),
	}}
	cases := []struct {
		name string
		cfg  config
		want []string
	}{
		{"at first start, generated into the file", cfg, []string{"session keys generated", path}},
		{"at the next, read from the file", cfg, []string{"session keys read from a local file", path}},
		{"when set, from the settings", given, []string{"session keys from the settings"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var logs bytes.Buffer
			keys, err := c.cfg.sessionKeys(slog.New(slog.NewTextHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(logs.String(), w) {
					t.Errorf("log %q does not hold %q", logs.String(), w)
				}
			}
			if strings.Contains(logs.String(), hex.EncodeToString(keys.HashKey)) {
				t.Error("the log shows the key")
			}
		})
	}
}

func TestADamagedKeyFileIsAnErrorNamingTheSettingAndTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(path, []byte("hash-key=abcd\nblock-key=zz\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := config{securityConfig: securityConfig{cookieKeyFile: path}}
	_, err := cfg.sessionKeys(slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "-cookie-key-file") || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v, want one naming -cookie-key-file %s", err, path)
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
