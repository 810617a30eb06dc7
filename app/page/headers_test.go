package page

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestSecureGivesHTMLACharsetAndLeavesOtherTypesAlone(t *testing.T) {
	tests := []struct{ name, set, want string }{
		{"bare HTML gets UTF-8", "text/html", "text/html; charset=utf-8"},
		{"HTML in upper case gets UTF-8", "TEXT/HTML", "text/html; charset=utf-8"},
		{"HTML with a charset keeps it", "text/html; charset=iso-8859-1", "text/html; charset=iso-8859-1"},
		{"JavaScript is left alone", "application/javascript", "application/javascript"},
		{"no type stays none until the body is sniffed", "", "text/plain; charset=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(Secure(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				if tt.set != "" {
					w.Header().Set("Content-Type", tt.set)
				}
				w.Write([]byte("plain words"))
			})))
			defer srv.Close()
			res, err := http.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if got := res.Header.Get("Content-Type"); got != tt.want {
				t.Errorf("Content-Type %q, want %q", got, tt.want)
			}
		})
	}
}
