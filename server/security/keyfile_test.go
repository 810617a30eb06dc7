package security_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/heraldhq/herald/server/security"
)

func TestKeysAreGeneratedOnceIntoAPrivateFileWhenNoneAreGiven(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".herald", "cookie-keys")
	first, err := security.LoadKeys("", "", path)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.HashKey) != 64 || len(first.BlockKey) != 32 || !first.Generated {
		t.Errorf("first start: keys of %d and %d bytes, generated %v; want 64 and 32, generated",
			len(first.HashKey), len(first.BlockKey), first.Generated)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: %v, want mode %v", p, err, want)
		}
	}
	again, err := security.LoadKeys("", "", path)
	if err != nil || !bytes.Equal(first.HashKey, again.HashKey) || !bytes.Equal(first.BlockKey, again.BlockKey) {
		t.Errorf("a second start read other keys (%v): sessions would not survive a restart", err)
	}
	if again.Generated {
		t.Error("keys read from the file say Generated")
	}
}

func TestServersStartingTogetherShareOneKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	const n = 8
	keys := make([]security.SessionKeys, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			k, err := security.LoadKeyFile(path)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	generated := 0
	for i := range n {
		if !bytes.Equal(keys[i].HashKey, keys[0].HashKey) || !bytes.Equal(keys[i].BlockKey, keys[0].BlockKey) {
			t.Fatalf("start %d got other keys than start 0", i)
		}
		if keys[i].Generated {
			generated++
		}
	}
	if generated != 1 {
		t.Errorf("%d starts say they generated the keys, want 1", generated)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the key directory holds %d files, want only the key file", len(entries))
	}
}

func TestADamagedKeyFileIsAnErrorNamingIt(t *testing.T) {
	cases := []struct {
		name, content, want string
	}{
		{"a key that is not hex", "hash-key=abcd\nblock-key=zz\n", "not hex"},
		{"keys too short", "hash-key=abcd\nblock-key=abcd\n", "session hash key is 2 bytes"},
		{"no keys at all", "# nothing\n", "delete the file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "keys")
			if err := os.WriteFile(path, []byte(c.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := security.LoadKeyFile(path)
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one naming %s with %q", err, path, c.want)
			}
		})
	}
}

func TestAKeyFileThatCannotBeReadIsAnErrorNamingIt(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(dir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "keys")
	_, err := security.LoadKeyFile(path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v, want one naming %s", err, path)
	}
}

func TestAKeyFileOthersMayReadIsRefused(t *testing.T) {
	content := "hash-key=" + strings.Repeat("ab", 64) + "\nblock-key=" + strings.Repeat("cd", 32) + "\n"
	cases := []struct {
		name   string
		mode   os.FileMode
		wantOK bool
	}{
		{"mode 0600 is accepted", 0o600, true},
		{"mode 0400 is accepted", 0o400, true},
		{"mode 0644 is refused", 0o644, false},
		{"mode 0640 is refused", 0o640, false},
		{"mode 0602 is refused", 0o602, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "keys")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, c.mode); err != nil {
				t.Fatal(err)
			}
			_, err := security.LoadKeyFile(path)
			if c.wantOK && err != nil {
				t.Errorf("LoadKeyFile at mode %04o: %v, want the keys", c.mode, err)
			}
			if !c.wantOK && (err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "0600")) {
				t.Errorf("LoadKeyFile at mode %04o: %v, want an error naming %s and asking for 0600", c.mode, err, path)
			}
		})
	}
}
