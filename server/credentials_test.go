package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/heraldhq/herald/server"
)

func TestTheBearerSchemeIsCaseInsensitive(t *testing.T) {
	_, ts := newTestServer(t, server.Config{})
	cases := []struct {
		name, auth string
		status     int
	}{
		{"Bearer is accepted", "Bearer " + token, http.StatusOK},
		{"bearer in lower case is accepted", "bearer " + token, http.StatusOK},
		{"BEARER in upper case is accepted", "BEARER " + token, http.StatusOK},
		{"several spaces after the scheme are accepted", "Bearer   " + token, http.StatusOK},
		{"another scheme is refused", "Basic " + token, http.StatusUnauthorized},
		{"a scheme glued to the token is refused", "Bearer" + token, http.StatusUnauthorized},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := do(t, nil, ts, request{method: "POST", path: "/publish", body: notification("public", "hi"), header: hdr("Authorization", c.auth)})
			if a.status != c.status {
				t.Errorf("Authorization %q: %d %q, want %d", strings.Replace(c.auth, token, "<token>", 1), a.status, a.err, c.status)
			}
		})
	}
}

func TestQueryParametersNamedLikeCredentialsAreRefused(t *testing.T) {
	_, ts := newTestServer(t, server.Config{})
	cases := []struct {
		name, query string
		refused     bool
	}{
		{"bearer_token is refused", "bearer_token=abc", true},
		{"accessToken is refused", "accessToken=abc", true},
		{"x-api-key is refused", "x-api-key=abc", true},
		{"client_secret is refused", "client_secret=abc", true},
		{"userPassword is refused", "userPassword=abc", true},
		{"sessionid is refused", "sessionid=abc", true},
		{"lastEventId is accepted", "lastEventId=", false},
		{"a second topic is accepted", "topic=metrics", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := do(t, nil, ts, request{method: "GET", path: "/events?topic=public&" + c.query})
			refused := a.status == http.StatusBadRequest && strings.Contains(a.err, "credentials in the URL")
			if refused != c.refused {
				t.Errorf("GET /events?topic=public&%s: %d %q, want refused %v", c.query, a.status, a.err, c.refused)
			}
		})
	}
}
