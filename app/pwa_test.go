//go:build !(js && wasm)

package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuildVersionChangesWithTheBuildOnly(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("app.wasm", "wasm v1")
	write("app.css", "css v1")
	v1, size, err := buildVersion(dir)
	if err != nil {
		t.Fatal(err)
	}
	if size != int64(len("wasm v1")) {
		t.Errorf("wasm size %d, want %d", size, len("wasm v1"))
	}
	write("app.wasm.br", "a new twin")
	if v, _, _ := buildVersion(dir); v != v1 {
		t.Errorf("a new precompressed twin changed the version from %s to %s", v1, v)
	}
	write("app.css", "css v2")
	v2, _, _ := buildVersion(dir)
	if v2 == v1 {
		t.Errorf("a changed app.css kept the version %s", v1)
	}
	write("app.wasm", "wasm v2")
	if v, _, _ := buildVersion(dir); v == v2 {
		t.Errorf("a changed app.wasm kept the version %s", v2)
	}
}

func TestBuildVersionNeedsTheWasm(t *testing.T) {
	if _, _, err := buildVersion(t.TempDir()); err == nil || !strings.Contains(err.Error(), "make wasm") {
		t.Errorf("err = %v, want one that says to run make wasm", err)
	}
}

func TestServiceWorkerLeavesStreamsAndAPIToTheNetwork(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.wasm"), []byte("wasm"), 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := newAppHandler(dir)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/app-worker.js", nil))
	js := rec.Body.String()
	for _, want := range []string{
		`const cacheName = "app-" + "` + h.Version + `"`,
		`"/web/app.wasm"`,
		`text/event-stream`,
		`"/events", "/publish", "/session", "/jobs", "/state"`,
	} {
		if !strings.Contains(js, want) {
			t.Errorf("app-worker.js lacks %s", want)
		}
	}
	if strings.Contains(js, "{{") {
		t.Error("app-worker.js has a template placeholder left")
	}
}
