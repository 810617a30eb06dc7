//go:build !(js && wasm)

package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit codes of the subcommands.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// newFlagSet returns an empty flag set for the subcommand name, writing its
// messages to stderr, whose usage line is usage.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("herald "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: herald %s %s\n\nFlags:\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseArgs parses args with fs, letting flags and positional arguments mix
// (herald tail URL --topic a), and returns the positional ones. For -help it
// returns flag.ErrHelp, the usage already printed.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// usageError prints msg and the usage of fs, and returns exitUsage.
func usageError(fs *flag.FlagSet, stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "%s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return exitUsage
}

// parseFailed returns the exit code for an error of parseArgs: 0 for -help,
// whose usage is printed, exitUsage otherwise, the flag package having said
// what was wrong.
func parseFailed(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

// stringList is a flag that may be given many times.
type stringList []string

// String returns the values given, for the flag package.
func (l *stringList) String() string { return strings.Join(*l, ", ") }

// Set adds a value.
func (l *stringList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// withScheme returns raw with http:// in front if it has no scheme, so that
// 127.0.0.1:8000 works as well as http://127.0.0.1:8000.
func withScheme(raw string) string {
	if strings.Contains(raw, "://") {
		return raw
	}
	return "http://" + raw
}
