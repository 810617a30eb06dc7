//go:build !(js && wasm)

package main

import (
	"context"
	"fmt"
	"io"
	"slices"
)

// helpTopics are the commands that help lists, in its order, with what each
// does. Help for each is its -help.
var helpTopics = []struct{ name, summary string }{
	{"serve", "serve the demo app and its event streams (the default: herald [flags])"},
	{"tail", "print the events of a stream as they come"},
	{"publish", "publish events to a server"},
	{"load", "load a server with streams and probe events, and measure delivery"},
	{"schema", "print the AsyncAPI document of the demo's event schema"},
	{"help", "print this help, or a command's: herald help COMMAND"},
}

// helpFlags are the spellings of the help flag that the flag package knows.
var helpFlags = []string{"-h", "-help", "--h", "--help"}

// wantsHelp reports whether the server's args ask for help.
func wantsHelp(args []string) bool {
	return slices.ContainsFunc(args, func(a string) bool { return slices.Contains(helpFlags, a) })
}

// printCommands writes the list of commands, as the end of the server's help
// or the whole of herald help.
func printCommands(w io.Writer) {
	fmt.Fprintf(w, "\nThe commands are:\n\n")
	for _, t := range helpTopics {
		fmt.Fprintf(w, "  %-8s %s\n", t.name, t.summary)
	}
	fmt.Fprintf(w, "\nRun \"herald help COMMAND\" or \"herald COMMAND -help\" for a command's flags.\n")
}

// serverHelp writes the server's flags, then the commands, to w.
func serverHelp(ctx context.Context, w io.Writer) int {
	if err := serve(ctx, []string{"-help"}, w); err != nil {
		fmt.Fprintln(w, "herald:", err)
		return 1
	}
	printCommands(w)
	return 0
}

// help runs "herald help [COMMAND]", as "go help" does: with no argument it
// prints the usage and the list of commands, with one the command's help, on
// stdout, exiting 0; an unknown command or more arguments exit 2.
func help(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) > 1:
		fmt.Fprintf(stderr, "usage: herald help COMMAND\n\nToo many arguments given.\n")
		return 2
	case len(args) == 0 || args[0] == "help":
		fmt.Fprintf(stdout, "Herald serves its demo app and event streams, and is a client of them.\n\n")
		fmt.Fprintf(stdout, "Usage:\n\n  herald [flags]           serve (see herald help serve)\n  herald COMMAND [flags]\n")
		printCommands(stdout)
		return 0
	case args[0] == "serve":
		return serverHelp(ctx, stdout)
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "herald help %s: unknown command. Run \"herald help\".\n", args[0])
		return 2
	}
	return cmd(ctx, []string{"-help"}, stdout, stdout) // the usage goes to stdout, as go help's
}
