//go:build !(js && wasm)

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server/asyncapi"
)

func init() { commands["schema"] = printSchema }

// printSchema writes the AsyncAPI 3.0 document of the demo's schema:
//
//	herald schema [-host 127.0.0.1:8000] > asyncapi.json
func printSchema(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("herald schema", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: herald schema [-host HOST:PORT] > asyncapi.json\n\nPrints the AsyncAPI 3.0 document of the demo's event schema.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	host := fs.String("host", "127.0.0.1:8000", "host:port of the server the document describes")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return 0
	} else if err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "herald schema: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	doc, err := asyncapi.Document(events.Schema, asyncapi.Info{Title: "Herald demo", Version: "1.0.0", Host: *host})
	if err != nil {
		fmt.Fprintln(stderr, "herald schema:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s\n", doc)
	return 0
}
