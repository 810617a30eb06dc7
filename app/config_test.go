//go:build !(js && wasm)

package main

import (
	"flag"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The README's configuration table must list every flag with its environment
// variable and default, and nothing else.
func TestREADMEConfigurationTableMatchesTheFlags(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `-([a-z0-9-]+)` \\| `([A-Z0-9_]+)` \\| ([^|]*) \\|")
	documented := map[string][2]string{}
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		documented[m[1]] = [2]string{m[2], strings.TrimSpace(m[3])}
	}
	var c config
	fs := newFlagSet(&c, io.Discard)
	fs.VisitAll(func(f *flag.Flag) {
		doc, ok := documented[f.Name]
		if !ok {
			t.Errorf("flag -%s is not in the README's configuration table", f.Name)
			return
		}
		delete(documented, f.Name)
		if doc[0] != envName(f.Name) {
			t.Errorf("README gives -%s the variable %s, want %s", f.Name, doc[0], envName(f.Name))
		}
		if want := readmeDefault(f.DefValue); doc[1] != want {
			t.Errorf("README gives -%s the default %s, want %s", f.Name, doc[1], want)
		}
	})
	for name := range documented {
		t.Errorf("README documents -%s, which is not a flag", name)
	}
}

// readmeDefault is how the README shows a flag's default value.
func readmeDefault(v string) string {
	if v == "" {
		return "(none)"
	}
	return "`" + v + "`"
}

func TestSettingsComeFromFlagsThenTheEnvironment(t *testing.T) {
	env := map[string]string{"HERALD_ADDR": "127.0.0.1:9", "HERALD_RETRY": "5s", "HERALD_PUBLISH_TOKEN": "from-env"}
	c, err := parseConfig([]string{"-retry", "7s"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.addr != "127.0.0.1:9" || c.publishToken != "from-env" {
		t.Errorf("addr %q, token %q: the environment was not read", c.addr, c.publishToken)
	}
	if c.retry != 7*time.Second {
		t.Errorf("retry = %v, want the flag's 7s over the environment's 5s", c.retry)
	}
}

func TestAnInvalidSettingNamesTheSettingAndTheValue(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want []string
	}{
		{"a bad duration in the environment", nil, map[string]string{"HERALD_RETRY": "soon"}, []string{"HERALD_RETRY", `"soon"`}},
		{"a bad number as a flag", []string{"-queue-events", "many"}, nil, []string{"queue-events", "many"}},
		{"a stray argument", []string{"extra"}, nil, []string{`"extra"`}},
		{"an unknown log format", nil, map[string]string{"HERALD_LOG_FORMAT": "xml"}, []string{"log-format", `"xml"`}},
		{"a trusted proxy that is no address", nil, map[string]string{"HERALD_TRUSTED_PROXIES": "10.0.0.0/8, proxy.internal"}, []string{"trusted-proxies", `"proxy.internal"`}},
		{"a trusted network out of range", []string{"-trusted-proxies", "10.0.0.0/33"}, nil, []string{"trusted-proxies", `"10.0.0.0/33"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseConfig(c.args, func(k string) string { return c.env[k] }, io.Discard)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %s", err, w)
				}
			}
		})
	}
}
