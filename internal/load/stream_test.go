package load

import (
	"net/url"
	"testing"
)

func TestAStreamURLWithoutAPortIsDialedAtItsSchemesPort(t *testing.T) {
	for _, tt := range []struct{ url, want string }{
		{"http://127.0.0.1/events", "127.0.0.1:80"},
		{"https://example.test/events", "example.test:443"},
		{"http://[::1]:8000/events", "[::1]:8000"},
	} {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := hostPort(u); got != tt.want {
			t.Errorf("hostPort(%s) = %q, want %q", tt.url, got, tt.want)
		}
	}
}
