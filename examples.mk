# Builds the examples' front ends: examples/poll/web/app.wasm, the poll
# compiled for the browser.
#   make -f examples.mk        (or: make examples)

GO ?= go
POLL_WASM := examples/poll/web/app.wasm
POLL_SOURCES := $(shell find examples/poll app/eventsource shared -name '*.go' -not -name '*_test.go') go.mod go.sum

.PHONY: examples
examples: $(POLL_WASM)

$(POLL_WASM): $(POLL_SOURCES)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $@ ./examples/poll
