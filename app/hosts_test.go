//go:build !(js && wasm)

package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestOnLoopbackTellsALoopbackAddrFromOthers(t *testing.T) {
	cases := []struct {
		name, addr string
		want       bool
	}{
		{"127.0.0.1 is loopback", "127.0.0.1:8000", true},
		{"another 127/8 address is loopback", "127.0.0.2:8000", true},
		{"[::1] is loopback", "[::1]:8000", true},
		{"localhost is loopback", "localhost:8000", true},
		{"an empty host is every interface", ":8000", false},
		{"0.0.0.0 is every interface", "0.0.0.0:8000", false},
		{"a LAN address is not loopback", "192.168.1.2:8000", false},
		{"a malformed addr is not loopback", "127.0.0.1", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := onLoopback(c.addr); got != c.want {
				t.Errorf("onLoopback(%q) = %v, want %v", c.addr, got, c.want)
			}
		})
	}
}

func TestTheBinaryOnLoopbackRefusesAnotherHost(t *testing.T) {
	base := startServe(t, "-name-sign-in")
	port := base[strings.LastIndex(base, ":")+1:]
	cases := []struct {
		name, method, path, host string
		refused                  bool
	}{
		{"the API under a rebound name is refused", "GET", "/session", "evil.example:" + port, true},
		{"the pages under a rebound name are refused", "GET", "/", "evil.example:" + port, true},
		{"the jobs under a rebound name are refused", "POST", "/jobs", "evil.example:" + port, true},
		{"the API under localhost is served", "GET", "/session", "localhost:" + port, false},
		{"the pages under 127.0.0.1 are served", "GET", "/", "127.0.0.1:" + port, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, c.method, base+c.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Host = c.host
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if refused := resp.StatusCode == http.StatusMisdirectedRequest; refused != c.refused {
				t.Errorf("%s %s with Host %s: %d, want refused %v", c.method, c.path, c.host, resp.StatusCode, c.refused)
			}
		})
	}
}
