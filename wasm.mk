# Builds the front end: web/app.wasm, the app compiled for the browser, and its
# brotli and gzip twins, which the server sends to browsers that accept them.
#   make -f wasm.mk        (or: make wasm)          fast twins, for development
#   make -f wasm.mk wasm-release (or: make release)  the smallest twins
#
# The development twins (brotli 5) take a fraction of a second; the release
# ones (brotli 11) about 20 seconds, for a twin a quarter smaller.

GO ?= go
WASM := web/app.wasm
WASM_SOURCES := $(shell find app shared -name '*.go' -not -name '*_test.go') go.mod go.sum

.PHONY: wasm wasm-release
wasm: $(WASM) $(WASM).br $(WASM).gz

$(WASM): $(WASM_SOURCES)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $@ ./app

$(WASM).br $(WASM).gz &: $(WASM) tools/precompress/main.go
	$(GO) run ./tools/precompress -fast $(WASM)

# wasm-release always writes the twins again, at the highest levels: the
# fast ones of the development loop have the same names and dates.
wasm-release: $(WASM)
	$(GO) run ./tools/precompress $(WASM)
