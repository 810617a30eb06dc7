//go:build !(js && wasm)

package main

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// appWorkerJS is the template of the service worker: go-app's app worker,
// except that event streams and API requests always go to the network.
//
//go:embed app-worker.js
var appWorkerJS string

// newAppHandler returns the go-app handler that serves the PWA from webDir.
// Its version is a hash of the build, so an unchanged build never makes
// clients download it again.
func newAppHandler(webDir string) (*app.Handler, error) {
	version, wasmSize, err := buildVersion(webDir)
	if err != nil {
		return nil, err
	}
	return &app.Handler{
		Name:                  "Herald",
		ShortName:             "Herald",
		Title:                 "Herald — live events in Go",
		Description:           "Typed server-sent events from a Go server to a Go front end.",
		Icon:                  app.Icon{Default: "/web/icon-192.png", Large: "/web/icon-512.png", SVG: "/web/icon.svg"},
		BackgroundColor:       "#0f172a",
		ThemeColor:            "#0f172a",
		LoadingLabel:          "Loading Herald {progress}%",
		Styles:                []string{"/web/app.css"},
		CacheableResources:    []string{"/web/icon.svg"},
		Scripts:               []string{earlyStreamScript},
		RawHeaders:            []string{wasmPreload},
		Resources:             newStaticDir(webDir),
		Version:               version,
		WasmContentLength:     strconv.FormatInt(wasmSize, 10),
		ServiceWorkerTemplate: appWorkerJS,
	}, nil
}

// buildVersion returns the version of the front end that webDir holds, and
// the size of its app.wasm. The version is a hash of the service worker and of
// every file of webDir but the precompressed twins, which follow from their
// files: any change makes the service worker fetch the new build.
func buildVersion(webDir string) (version string, wasmSize int64, err error) {
	wasm := filepath.Join(webDir, "app.wasm")
	fi, err := os.Stat(wasm)
	if err != nil {
		return "", 0, fmt.Errorf("open the front end %s: %w (build it with: make wasm)", wasm, err)
	}
	h := sha256.New()
	io.WriteString(h, appWorkerJS)
	err = filepath.WalkDir(webDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || strings.HasSuffix(path, ".br") || strings.HasSuffix(path, ".gz") {
			return err
		}
		rel, _ := filepath.Rel(webDir, path)
		fmt.Fprintf(h, "\x00%s\x00", filepath.ToSlash(rel))
		return hashFile(h, path)
	})
	if err != nil {
		return "", 0, fmt.Errorf("hash the front end in %s: %w", webDir, err)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], fi.Size(), nil
}

func hashFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
