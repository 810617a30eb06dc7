package security_test

import (
	"strings"
	"testing"

	"github.com/heraldhq/herald/server/security"
)

func TestParseHostsRefusesWhatIsNotAHost(t *testing.T) {
	cases := []struct {
		name, list string
		want       int
		wantErr    string
	}{
		{"names, host:ports and bracketed IPv6 are read", "herald.example, app.example:8443,[::1]", 3, ""},
		{"an empty list is none", " , ", 0, ""},
		{"a URL is refused", "https://herald.example", 0, "not a host"},
		{"a wildcard is refused", "*.example", 0, "not a host"},
		{"bare IPv6 is refused", "::1", 0, "brackets"},
		{"a port without a host is refused", ":8000", 0, "no name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := security.ParseHosts(c.list)
			if c.wantErr == "" && (err != nil || len(got) != c.want) {
				t.Errorf("ParseHosts(%q) = %q, %v; want %d hosts", c.list, got, err, c.want)
			}
			if c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
				t.Errorf("ParseHosts(%q) error %v, want one saying %q", c.list, err, c.wantErr)
			}
		})
	}
}
