package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/internal/testlog"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
)

func TestSignInSignOutAndPublishesAreAuditedWithoutSecrets(t *testing.T) {
	var logs testlog.Buffer
	_, ts := newTestServer(t, server.Config{Logger: logs.Logger(), Session: security.SessionConfig{NameSignIn: true}})
	alice := signIn(t, ts, "alice")
	batch := "[" + notification("user/alice", "secret-one") + "," + notification("user/alice/inbox", "secret-two") + "]"
	if a := do(t, nil, ts, request{method: "POST", path: "/publish", body: batch, cookie: alice}); a.status != http.StatusOK {
		t.Fatalf("alice's publish: %d %s", a.status, a.body)
	}
	if status, out := publish(t, ts, notification("public", "secret-three")); status != http.StatusOK {
		t.Fatalf("the token's publish: %d %v", status, out)
	}
	if a := do(t, nil, ts, request{method: "DELETE", path: "/session", cookie: alice}); a.status != http.StatusNoContent {
		t.Fatalf("sign out: %d %s", a.status, a.body)
	}
	out := logs.String()
	cases := []struct {
		name, line string
	}{
		{"the sign-in names the user", `msg=audit event=sign-in client=127.0.0.1:\d+ user=alice`},
		{"a user's publish names the user, topics, types and count", `msg=audit event=publish client=\S+ user=alice topics=user/alice,user/alice/inbox types=notification count=2`},
		{"a token's publish names the token", `msg=audit event=publish client=\S+ user=token topics=public types=notification count=1`},
		{"the sign-out names the user", `msg=audit event=sign-out client=\S+ user=alice`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !regexp.MustCompile(c.line).MatchString(out) {
				t.Errorf("no line matching %q in the log:\n%s", c.line, out)
			}
		})
	}
	for _, secret := range []string{"secret-one", "secret-two", "secret-three", token, alice.Value} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %.20q…, a payload, token or cookie:\n%s", secret, out)
		}
	}
}

func TestAFloodOfRefusalsIsLoggedWithinTheBudgetAndSummedUp(t *testing.T) {
	var logs testlog.Buffer
	const limit, flood = 5, 200
	srv, ts := newTestServer(t, server.Config{Logger: logs.Logger(), MaxRefusalLogs: limit})
	start := time.Now()
	for range flood {
		post(t, ts, notification("public", "x"), "Bearer wrong")
	}
	seconds := int(time.Since(start)/time.Second) + 1
	if got := srv.Stats().Refused.Auth; got != flood {
		t.Errorf("refusals counted: %d, want all %d", got, flood)
	}
	summed := regexp.MustCompile(`msg="more refusals not logged" count=(\d+)`)
	var logged, notLogged int
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		out := logs.String()
		logged, notLogged = strings.Count(out, `msg="request refused"`), 0
		for _, m := range summed.FindAllStringSubmatch(out, -1) {
			n, _ := strconv.Atoi(m[1])
			notLogged += n
		}
		if logged+notLogged == flood {
			break
		}
	}
	if logged > limit*(seconds+1) {
		t.Errorf("%d refusals logged one by one in about %ds, want at most %d a second", logged, seconds, limit)
	}
	if logged+notLogged != flood {
		t.Errorf("%d refusals logged and %d summed up, want the %d in all", logged, notLogged, flood)
	}
}

func TestAStamperSetsTheAuthorFromTheSession(t *testing.T) {
	stamp := security.StampFunc(func(u security.User, _, eventType string, data json.RawMessage) (json.RawMessage, error) {
		if eventType != "notification" {
			return data, nil
		}
		return []byte(strings.Replace(string(data), `"user":"ann"`, fmt.Sprintf(`"user":%q`, u.Name), 1)), nil
	})
	_, ts := newTestServer(t, server.Config{Stamper: stamp, Session: security.SessionConfig{NameSignIn: true}})
	alice := signIn(t, ts, "alice")
	st := openStream(t, ts, "/events?topic=user/alice", hdr("Cookie", alice.String()))
	st.start()
	if a := do(t, nil, ts, request{method: "POST", path: "/publish", body: notification("user/alice", "hi"), cookie: alice}); a.status != http.StatusOK {
		t.Fatalf("alice's publish: %d %s", a.status, a.body)
	}
	for range 5 {
		for _, line := range st.next() {
			if data, ok := strings.CutPrefix(line, "data:"); ok {
				if !strings.Contains(data, `"user":"alice"`) || strings.Contains(data, `"ann"`) {
					t.Errorf("event data %s, want the author alice from the session, not ann from the body", data)
				}
				return
			}
		}
	}
	t.Error("no event within 5 frames")
}
