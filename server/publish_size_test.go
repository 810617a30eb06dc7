package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
)

// A body under the publish limit can grow over a subscriber's queue once its
// data is canonical JSON, where each "<" is the six bytes of \u003c. Such an
// event is refused whole instead of cutting off every subscriber.
func TestAnEventTooLargeForAQueueOnceEncodedIsRefusedAndCutsNobodyOff(t *testing.T) {
	srv, ts := newTestServer(t, server.Config{Authorizer: testPolicy{}, Session: security.SessionConfig{NameSignIn: true}})
	s := openStream(t, ts, "/events?topic=public", nil)
	s.start()
	alice := signIn(t, ts, "alice")
	// Built by hand: json.Marshal would send the escapes itself.
	big := `{"topic":"public","type":"notification","data":{"user":"x","message":"` + strings.Repeat("<", 200_000) + `"}}`
	tests := []struct {
		name string
		body string
	}{
		{"one event is refused", big},
		{"a batch with one such event is refused whole", "[" + notification("public", "small") + "," + big + "]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := do(t, nil, ts, request{method: "POST", path: "/publish", body: tt.body, cookie: alice, header: hdr("Content-Type", "application/json")})
			if a.status != http.StatusRequestEntityTooLarge || !strings.Contains(a.err, "subscriber's queue") {
				t.Errorf("got %d %q, want 413 naming the subscriber's queue", a.status, a.err)
			}
		})
	}
	if st := srv.Stats(); st.Published != 0 || st.Refused.BadInput != 2 {
		t.Errorf("published %d and counted %d refusals as bad input, want 0 and 2", st.Published, st.Refused.BadInput)
	}
	if status, out := publish(t, ts, notification("public", "after")); status != http.StatusOK {
		t.Fatalf("publish after: %d %v", status, out)
	}
	if got := strings.Join(s.next(), "\n"); !strings.Contains(got, `"after"`) {
		t.Errorf("the stream's next frame is %q, want the event published after", got)
	}
	if n := srv.Stats().Closed.SlowConsumer; n != 0 {
		t.Errorf("%d streams closed as slow consumers, want none", n)
	}
}
