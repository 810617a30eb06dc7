package eventsource

import (
	"net/url"
	"strings"
	"testing"
)

// TestResolveURLAgainstThePage checks how a browser Source, which has a page,
// resolves the URL it is given.
func TestResolveURLAgainstThePage(t *testing.T) {
	page, err := url.Parse("https://herald.example/app/home?tab=1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		url     string
		want    string
		wantErr string
	}{
		{name: "a path resolves against the page's origin", url: "/events?topic=public", want: "https://herald.example/events?topic=public"},
		{name: "a relative reference resolves against the page's folder", url: "events?topic=a", want: "https://herald.example/app/events?topic=a"},
		{name: "a scheme-relative URL takes the page's scheme", url: "//other.example/events", want: "https://other.example/events"},
		{name: "an absolute URL ignores the page", url: "http://127.0.0.1:8000/events", want: "http://127.0.0.1:8000/events"},
		{name: "a scheme other than http is refused even with a page", url: "ftp://herald.example/events", wantErr: "not an http or https URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := resolveURL(tc.url, page)
			switch {
			case tc.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("resolveURL(%q) = %v, %v; want an error saying %q", tc.url, u, err, tc.wantErr)
				}
			case err != nil || u.String() != tc.want:
				t.Errorf("resolveURL(%q) = %v, %v; want %s", tc.url, u, err, tc.want)
			}
		})
	}
}
