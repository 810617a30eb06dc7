# The project's entry points. See README.md.

include wasm.mk

GO ?= go
BIN := bin/herald

.PHONY: all run build test clean

all: build

## build: the front end and the server binary.
build: wasm
	$(GO) build -o $(BIN) ./app

## run: build and start the demo on http://127.0.0.1:8000
run: build
	HERALD_PUBLISH_TOKEN=$${HERALD_PUBLISH_TOKEN:-dev-token} HERALD_NAME_SIGN_IN=$${HERALD_NAME_SIGN_IN:-true} ./$(BIN)

## test: vet, every test with the race detector (the browser tests included).
test: wasm
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./app/...
	$(GO) test -race -count=1 -timeout 20m ./...
	$(GO) test -count=1 ./app/eventsource/

clean:
	rm -rf bin web/app.wasm web/app.wasm.br web/app.wasm.gz
