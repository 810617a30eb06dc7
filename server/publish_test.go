package server_test

import (
	"strings"
	"testing"

	"github.com/heraldhq/herald/server"
)

func TestPublishRefusesBadInput(t *testing.T) {
	_, ts := newTestServer(t, server.Config{MaxPublishBytes: 512})
	cases := []struct {
		name, body string
		status     int
		wantErr    string
	}{
		{"bad JSON is refused", `{"topic":`, 400, "not valid JSON"},
		{"an unknown field is refused", `{"topic":"public","type":"notification","data":{},"x":1}`, 400, "unknown field"},
		{"an unknown type is refused", `{"topic":"public","type":"nope","data":{}}`, 400, `unknown event type "nope"`},
		{"data of the wrong type is refused", `{"topic":"public","type":"notification","data":{"user":1}}`, 400, "cannot unmarshal"},
		{"an unknown data field is refused", `{"topic":"public","type":"notification","data":{"user":"a","color":"red"}}`, 400, `unknown field "color"`},
		{"a level outside the enum is refused", `{"topic":"public","type":"notification","data":{"user":"a","level":"loud"}}`, 400, "not one of info"},
		{"missing data is refused", `{"topic":"public","type":"notification"}`, 400, "has no data"},
		{"a bad topic is refused", `{"topic":"a b","type":"notification","data":{}}`, 400, "topic"},
		{"trailing data is refused", `{"topic":"public","type":"notification","data":{}} {}`, 400, "after the JSON value"},
		{"an empty batch is refused", `[]`, 400, "empty array"},
		{"a body over the limit is refused", `{"topic":"public","type":"notification","data":{"message":"` + strings.Repeat("x", 600) + `"}}`, 413, "over 512 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, out := publish(t, ts, c.body)
			msg, _ := out["error"].(string)
			if status != c.status || !strings.Contains(msg, c.wantErr) {
				t.Errorf("got %d %q, want %d with %q", status, msg, c.status, c.wantErr)
			}
		})
	}
}

func TestPublishNeedsTheToken(t *testing.T) {
	_, ts := newTestServer(t, server.Config{})
	for _, auth := range []string{"", "Bearer wrong", "Basic " + token, token} {
		if status, _ := post(t, ts, notification("public", "x"), auth); status != 401 {
			t.Errorf("Authorization %q: status %d, want 401", auth, status)
		}
	}
}

func TestPublishIsRefusedWithoutAConfiguredToken(t *testing.T) {
	srv, err := server.New(server.Config{Schema: testSchema()})
	if err != nil {
		t.Fatal(err)
	}
	ts := newHTTPServer(t, srv)
	for _, auth := range []string{"Bearer ", "Bearer x"} {
		if status, _ := post(t, ts, notification("public", "x"), auth); status != 403 {
			t.Errorf("Authorization %q: status %d, want 403", auth, status)
		}
	}
	if status, _ := post(t, ts, notification("public", "x"), ""); status != 401 {
		t.Errorf("no Authorization and no session: status %d, want 401", status)
	}
}

func TestBatchPublishIsAllOrNothingInOrder(t *testing.T) {
	_, ts := newTestServer(t, server.Config{})
	s := openStream(t, ts, "/events?topic=public", nil)
	s.start()
	bad := "[" + notification("public", "a") + `,{"topic":"public","type":"notification","data":{"level":"x"}}]`
	if status, out := publish(t, ts, bad); status != 400 || !strings.Contains(out["error"].(string), "event 1") {
		t.Fatalf("bad batch: %d %v, want 400 naming event 1", status, out)
	}
	status, out := publish(t, ts, "["+notification("public", "a")+","+notification("public", "b")+"]")
	if status != 200 {
		t.Fatalf("good batch: %d %v", status, out)
	}
	ids := out["ids"].([]any)
	for i, want := range []string{"a", "b"} {
		got := s.next()
		if got[0] != "id: "+ids[i].(string) || !strings.Contains(got[2], `"message":"`+want+`"`) {
			t.Errorf("event %d = %q, want id %v message %s", i, got, ids[i], want)
		}
	}
}

func TestLineBreaksInDataCannotForgeEvents(t *testing.T) {
	_, ts := newTestServer(t, server.Config{})
	s := openStream(t, ts, "/events?topic=public", nil)
	s.start()
	for _, msg := range []string{"a\rb", "a\nb", "a\r\nb", "x\r\n\r\ndata: fake\n\nid: 1"} {
		status, out := publish(t, ts, notification("public", msg))
		if status != 200 {
			t.Fatalf("publish %q: %d %v", msg, status, out)
		}
		got := s.next()
		if len(got) != 3 || !strings.HasPrefix(got[2], "data: {") {
			t.Errorf("message %q gave frame %q, want one id, event and data line", msg, got)
		}
	}
}
