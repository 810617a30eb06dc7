//go:build !(js && wasm)

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/heraldhq/herald/app/cli"
)

// run is the server binary's entry point: it dispatches subcommands and
// otherwise serves the app until SIGINT or SIGTERM.
func run() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(runCommand(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// runCommand runs the subcommand named by args[0], or the server when there is
// none (or it is serve), and returns the exit code. "help" and the server's
// -help list the commands.
func runCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if args[0] == "help" {
			return help(ctx, args[1:], stdout, stderr)
		}
		if cmd, ok := commands[args[0]]; ok {
			return cmd(ctx, args[1:], stdout, stderr)
		}
		if args[0] == "serve" {
			args = args[1:]
		}
	}
	if wantsHelp(args) {
		return serverHelp(ctx, stderr)
	}
	if err := serve(ctx, args, stderr); err != nil {
		fmt.Fprintln(stderr, "herald:", err)
		return 1
	}
	return 0
}

// commands are the subcommands of the binary, by name.
var commands = map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer) int{
	"tail": cli.Tail,
	"load": cli.Load,
	"publish": func(ctx context.Context, args []string, stdout, stderr io.Writer) int {
		return cli.Publish(ctx, args, os.Stdin, stdout, stderr)
	},
}
