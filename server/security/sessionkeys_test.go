package security_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heraldhq/herald/server/security"
)

func TestKeysAreReadInHexOrBase64(t *testing.T) {
	key := bytes.Repeat([]byte{0xfb, 0xff, 0x01}, 11)[:32]
	block := hex.EncodeToString(bytes.Repeat([]byte{7}, 16))
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
			got, err := security.LoadKeys(c.text, block, filepath.Join(t.TempDir(), "unused"))
			if err != nil || !bytes.Equal(got.HashKey, key) {
				t.Fatalf("LoadKeys(%q) = %x, %v; want %x", c.text, got.HashKey, err, key)
			}
			if got.Generated {
				t.Error("keys that were given say Generated")
			}
		})
	}
}

func TestGivenKeysThatAreBadAreErrorsThatNeverShowTheKey(t *testing.T) {
	hash64 := hex.EncodeToString(make([]byte, 32))
	block := hex.EncodeToString(make([]byte, 32))
	cases := []struct {
		name, hash, block, want string
	}{
		{"a hash key that is too short", "c2hvcnQtc2VjcmV0", block, "session hash key is 12 bytes"},
		{"a block key of no AES size", hash64, hex.EncodeToString(make([]byte, 20)), "session block key is 20 bytes"},
		{"a hash key that is not hex nor base64", "not a key!!", block, "session hash key: a key of 11 characters"},
		{"a block key that is not hex nor base64", hash64, "not a key!!", "session block key: a key of 11 characters"},
		{"a hash key alone", hash64, "", "together"},
		{"a block key alone", "", block, "together"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := security.LoadKeys(c.hash, c.block, filepath.Join(t.TempDir(), "unused"))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one with %q", err, c.want)
			}
			if strings.Contains(err.Error(), "c2hvcnQtc2VjcmV0") || strings.Contains(err.Error(), "not a key") {
				t.Errorf("error %q shows the key", err)
			}
		})
	}
}
