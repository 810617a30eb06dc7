package load

import (
	"context"
	"net/http/httptest"
	"testing"
)

func TestSources(t *testing.T) {
	tests := []struct {
		name      string
		host      string
		n, per    int
		wantFirst string
		wantLast  string
	}{
		{"streams within one address's share take the system's choice", "127.0.0.1", 10, 10, "", ""},
		{"more streams fill addresses in turn", "127.0.0.1", 25, 10, "127.0.0.1", "127.0.0.3"},
		{"a server off loopback gets the system's choice", "192.0.2.1", 25, 10, "", ""},
		{"an IPv6 loopback server gets the system's choice", "::1", 25, 10, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sources(tt.host, tt.n, tt.per)
			if tt.wantFirst == "" {
				if got != nil {
					t.Errorf("sources = %v, want nil", got)
				}
				return
			}
			if len(got) != tt.n || got[0].IP.String() != tt.wantFirst || got[tt.n-1].IP.String() != tt.wantLast {
				t.Errorf("sources: %d addresses from %v to %v; want %d from %s to %s", len(got), got[0], got[len(got)-1], tt.n, tt.wantFirst, tt.wantLast)
			}
		})
	}
}

func TestStreamsComeFromSeveralAddresses(t *testing.T) {
	fake := &fakeServer{}
	ts := httptest.NewServer(fake)
	defer ts.Close()
	cfg := smallRun(ts.URL)
	cfg.PerSource = 7
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	fake.mu.Lock()
	defer fake.mu.Unlock()
	want := map[string]int{"127.0.0.1": 7, "127.0.0.2": 7, "127.0.0.3": 6}
	for host, n := range want {
		if fake.hosts[host] != n {
			t.Errorf("streams by address %v, want %v", fake.hosts, want)
			break
		}
	}
	if res.Lost != 0 || res.Connected != 20 {
		t.Errorf("connected %d, lost %d; want 20 and none", res.Connected, res.Lost)
	}
}
