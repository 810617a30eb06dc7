package security_test

import (
	"context"
	"testing"
	"time"

	"github.com/heraldhq/herald/server/security"
)

func TestMemoryRevocationsForgetASessionOnceItsCookieExpired(t *testing.T) {
	ctx := context.Background()
	var r security.MemoryRevocations
	cases := []struct {
		name, id    string
		until       time.Time
		wantRevoked bool
	}{
		{"a session revoked until later is revoked", "LIVE", time.Now().Add(time.Hour), true},
		{"a session whose cookie has expired is forgotten", "GONE", time.Now().Add(-time.Second), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := r.Revoke(ctx, c.id, c.until); err != nil {
				t.Fatal(err)
			}
			if got, err := r.Revoked(ctx, c.id); err != nil || got != c.wantRevoked {
				t.Errorf("Revoked(%q) = %v, %v; want %v", c.id, got, err, c.wantRevoked)
			}
		})
	}
	if got, _ := r.Revoked(ctx, "NEVER"); got {
		t.Error("a session never revoked is revoked")
	}
	if err := r.Revoke(ctx, "NEXT", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := r.Len(); n != 2 {
		t.Errorf("%d revocations kept after the expired one's sweep, want the 2 live ones", n)
	}
}
