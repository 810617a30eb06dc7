package eventsource

import (
	"net/url"
	"testing"
)

func TestSameStream(t *testing.T) {
	base, _ := url.Parse("http://example.test/app?x=1")
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"the same relative URL names the same stream", "/events?topic=a&topic=b", "/events?topic=a&topic=b", true},
		{"a relative and an absolute URL of the page's origin name the same stream", "/events?topic=a", "http://example.test/events?topic=a", true},
		{"lastEventId is left out of the comparison", "/events?topic=a&lastEventId=7", "/events?topic=a", true},
		{"an empty lastEventId is left out too", "/events?topic=a&lastEventId=", "/events?topic=a&lastEventId=42", true},
		{"the order of different parameters does not matter", "/events?topic=a&x=1", "/events?x=1&topic=a", true},
		{"topics in another order are another stream", "/events?topic=a&topic=b", "/events?topic=b&topic=a", false},
		{"another topic is another stream", "/events?topic=a", "/events?topic=a&topic=user/bob", false},
		{"another path is another stream", "/events?topic=a", "/other?topic=a", false},
		{"another host is another stream", "/events?topic=a", "http://other.test/events?topic=a", false},
		{"another scheme is another stream", "/events?topic=a", "https://example.test/events?topic=a", false},
		{"a URL that does not parse is no stream", "/events?topic=a", "http://[::1", false},
		{"a URL that is not http is no stream", "ftp://example.test/events", "ftp://example.test/events", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sameStream(tt.a, tt.b, base); got != tt.want {
				t.Errorf("sameStream(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func FuzzSameStream(f *testing.F) {
	base, _ := url.Parse("http://example.test/")
	f.Add("/events?topic=a&lastEventId=1", "/events?topic=a")
	f.Add("http://[::1", "%zz")
	f.Fuzz(func(t *testing.T, a, b string) {
		if sameStream(a, b, base) != sameStream(b, a, base) {
			t.Errorf("sameStream is not symmetric for %q and %q", a, b)
		}
		if sameStream(a, b, base) && !sameStream(a, a, base) {
			t.Errorf("%q is the same stream as %q but not as itself", a, b)
		}
	})
}
