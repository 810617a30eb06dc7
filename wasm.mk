# Builds the front end: web/app.wasm, the app compiled for the browser, and its
# brotli and gzip twins, which the server sends to browsers that accept them.
#   make -f wasm.mk        (or: make wasm)

GO ?= go
WASM := web/app.wasm
WASM_SOURCES := $(shell find app shared -name '*.go' -not -name '*_test.go') go.mod go.sum

.PHONY: wasm
wasm: $(WASM) $(WASM).br $(WASM).gz

$(WASM): $(WASM_SOURCES)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $@ ./app

$(WASM).br $(WASM).gz &: $(WASM) tools/precompress/main.go
	$(GO) run ./tools/precompress $(WASM)
