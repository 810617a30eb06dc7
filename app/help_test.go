//go:build !(js && wasm)

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestHelpNamesTheCommandsAndExitsZero(t *testing.T) {
	commandList := []string{"serve ", "tail ", "publish ", "schema ", "help "}
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     []string // what stdout must hold
		stderr     []string // what stderr must hold
		quietStdio bool     // stdout must stay empty
	}{
		{name: "herald -help lists the server's flags and every command on stderr", args: []string{"-help"}, stderr: append([]string{"-addr", "herald help COMMAND"}, commandList...), quietStdio: true},
		{name: "herald -h after a flag still lists the commands", args: []string{"-log-format", "json", "-h"}, stderr: commandList, quietStdio: true},
		{name: "herald help lists every command on stdout", args: []string{"help"}, stdout: append([]string{"Usage:"}, commandList...)},
		{name: "herald help help is herald help", args: []string{"help", "help"}, stdout: commandList},
		{name: "herald help serve prints the server's flags", args: []string{"help", "serve"}, stdout: []string{"Usage: herald [flags]", "-addr"}},
		{name: "herald help tail prints tail's flags", args: []string{"help", "tail"}, stdout: []string{"Usage: herald tail", "-topic"}},
		{name: "herald help publish prints publish's flags", args: []string{"help", "publish"}, stdout: []string{"Usage: herald publish", "-token"}},
		{name: "herald help schema prints schema's flags", args: []string{"help", "schema"}, stdout: []string{"Usage: herald schema", "-host"}},
		{name: "herald tail -help exits 0", args: []string{"tail", "-help"}, stderr: []string{"Usage: herald tail"}, quietStdio: true},
		{name: "herald publish -help exits 0", args: []string{"publish", "-help"}, stderr: []string{"Usage: herald publish"}, quietStdio: true},
		{name: "herald schema -help exits 0", args: []string{"schema", "-help"}, stderr: []string{"Usage: herald schema", "-host"}, quietStdio: true},
		{name: "herald serve -help is herald -help", args: []string{"serve", "-help"}, stderr: commandList, quietStdio: true},
		{name: "herald help of an unknown command exits 2", args: []string{"help", "nope"}, code: 2, stderr: []string{`herald help nope: unknown command`}, quietStdio: true},
		{name: "herald help with two commands exits 2", args: []string{"help", "tail", "publish"}, code: 2, stderr: []string{"Too many arguments"}, quietStdio: true},
		{name: "herald schema with an argument exits 2", args: []string{"schema", "extra"}, code: 2, stderr: []string{`unexpected argument "extra"`}, quietStdio: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := runCommand(context.Background(), tc.args, &stdout, &stderr); code != tc.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tc.code, stderr.String())
			}
			assertHolds(t, "stdout", stdout.String(), tc.stdout)
			assertHolds(t, "stderr", stderr.String(), tc.stderr)
			if tc.quietStdio && stdout.Len() > 0 {
				t.Errorf("stdout:\n%s\nwant nothing", stdout.String())
			}
		})
	}
}

// assertHolds checks that out holds each of want.
func assertHolds(t *testing.T, name, out string, want []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("%s does not hold %q:\n%s", name, w, out)
		}
	}
}
