# The project's entry points. See README.md.

include wasm.mk
include examples.mk

GO ?= go
BIN := bin/herald

.PHONY: all run build release test clean

all: build

## build: the front end and the server binary, and the examples.
build: wasm examples
	$(GO) build -o $(BIN) ./app
	$(GO) build -o bin/poll ./examples/poll

## release: build as build does, with the release compression of app.wasm
## (brotli 11, gzip 9: tools/precompress) instead of the fast one.
release: build
	$(MAKE) --no-print-directory wasm-release

## run: build and start the demo on http://127.0.0.1:8000
run: build
	HERALD_PUBLISH_TOKEN=$${HERALD_PUBLISH_TOKEN:-dev-token} HERALD_NAME_SIGN_IN=$${HERALD_NAME_SIGN_IN:-true} ./$(BIN)

## test: vet, every test with the race detector (the browser tests included).
test: wasm examples
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./app/...
	GOOS=js GOARCH=wasm $(GO) vet ./examples/...
	$(GO) test -race -count=1 -timeout 20m ./...
	$(GO) test -count=1 ./app/eventsource/

clean:
	rm -rf bin web/app.wasm web/app.wasm.br web/app.wasm.gz $(POLL_WASM)
