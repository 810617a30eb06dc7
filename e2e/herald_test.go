package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// build holds the binary and the web directory, built once for all tests.
var build struct {
	once   sync.Once
	dir    string
	bin    string
	webDir string
	err    error
}

// repoRoot is the module root, the parent of this package's directory.
const repoRoot = ".."

// buildHerald builds the server binary and the front end, with its
// precompressed twins (the fast ones of the development loop: the test of
// the release size compresses for itself), into a temporary directory, once.
func buildHerald(t testing.TB) (bin, webDir string) {
	t.Helper()
	build.once.Do(func() {
		build.dir, build.err = os.MkdirTemp("", "herald-e2e-")
		if build.err != nil {
			return
		}
		build.bin = filepath.Join(build.dir, "herald")
		build.webDir = filepath.Join(build.dir, "web")
		build.err = buildInto(build.bin, build.webDir)
	})
	if build.err != nil {
		t.Fatal(build.err)
	}
	return build.bin, build.webDir
}

func buildInto(bin, webDir string) error {
	if err := os.CopyFS(webDir, os.DirFS(filepath.Join(repoRoot, "web"))); err != nil {
		return fmt.Errorf("copy web assets: %w", err)
	}
	steps := [][]string{
		{"go", "build", "-o", bin, "./app"},
		{"go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(webDir, "app.wasm"), "./app"},
		{"go", "run", "./tools/precompress", "-fast", filepath.Join(webDir, "app.wasm")},
	}
	for i, args := range steps {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = repoRoot
		cmd.Env = os.Environ()
		if i == 1 {
			cmd.Env = append(cmd.Env, "GOOS=js", "GOARCH=wasm")
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return nil
}

// instance is a running herald binary.
type instance struct {
	URL   string
	Token string
	cmd   *exec.Cmd
}

var listeningRE = regexp.MustCompile(`url=(https?://\S+)`)

// startHerald starts the binary on a free loopback port with a publish token,
// sign-in by name, session keys in a temporary file and extra flags, and
// stops it when the test ends.
func startHerald(t testing.TB, flags ...string) *instance {
	t.Helper()
	bin, webDir := buildHerald(t)
	in := &instance{Token: "e2e-token"}
	args := append([]string{"-addr", "127.0.0.1:0", "-web-dir", webDir}, flags...)
	in.cmd = exec.Command(bin, args...)
	in.cmd.Env = append(os.Environ(), "HERALD_PUBLISH_TOKEN="+in.Token,
		"HERALD_NAME_SIGN_IN=true", "HERALD_COOKIE_KEY_FILE="+filepath.Join(t.TempDir(), "cookie-keys"))
	stderr, err := in.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = in.cmd.Process.Kill()
		_ = in.cmd.Wait()
	})
	urlc := make(chan string, 1)
	go scanLog(t, stderr, urlc)
	select {
	case in.URL = <-urlc:
	case <-time.After(20 * time.Second):
		t.Fatal("herald did not report its address within 20s")
	}
	return in
}

// scanLog copies the server's log into the test log and sends the listening
// URL once it appears.
func scanLog(t testing.TB, r io.Reader, urlc chan<- string) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		t.Log("herald:", line)
		if m := listeningRE.FindStringSubmatch(line); m != nil {
			select {
			case urlc <- m[1]:
			default:
			}
		}
	}
}

// publish posts body to the instance's /publish and fails the test unless it
// is accepted.
func (in *instance) publish(t testing.TB, body string) {
	t.Helper()
	if err := post(context.Background(), in, body); err != nil {
		t.Fatal(err)
	}
}

// withTimeout returns a context that ends after d or at the end of the test.
func withTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
