package server_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/engine"
	"github.com/heraldhq/herald/shared"
)

func TestStreamSendsHeadersAndRetryAtConnect(t *testing.T) {
	_, ts := newTestServer(t, server.Config{Retry: 1500 * time.Millisecond})
	s := openStream(t, ts, "/events?topic=public", nil)
	for k, want := range map[string]string{
		"Content-Type":      "text/event-stream",
		"Cache-Control":     "no-store",
		"X-Accel-Buffering": "no",
	} {
		if got := s.resp.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	got := s.next()
	if rest, _, ok := cutPosition(got); !ok || len(rest) != 1 || rest[0] != "retry: 1500" {
		t.Errorf("first frame = %q, want retry: 1500 and the stream's position as a herald.position event", got)
	}
}

func TestStreamRefusesBadRequests(t *testing.T) {
	_, ts := newTestServer(t, server.Config{MaxTopics: 2})
	cases := []struct {
		name, path, lastID, wantErr string
	}{
		{"no topic is refused", "/events", "", "no topic"},
		{"an empty topic is refused", "/events?topic=", "", "topic is empty"},
		{"a topic with a space is refused", "/events?topic=a%20b", "", "not a letter"},
		{"too many topics are refused", "/events?topic=a&topic=b&topic=c", "", "at most 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", ts.URL+c.path, nil)
			if c.lastID != "" {
				req.Header.Set("Last-Event-ID", c.lastID)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body struct{ Error string }
			_ = json.NewDecoder(resp.Body).Decode(&body)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body.Error, c.wantErr) {
				t.Errorf("got %d %q, want 400 with %q", resp.StatusCode, body.Error, c.wantErr)
			}
		})
	}
}

// An EventSource takes any answer but 200 as final: an id the server cannot
// read, from an earlier deployment or another server behind the same URL,
// gets a stream that starts with herald.gap, as an id older than the
// history does, with the id repeated no longer than engine.MaxGapIDLen.
func TestAnIDTheServerCannotReadStartsTheStreamWithAGap(t *testing.T) {
	_, ts := newTestServer(t, server.Config{})
	long := strings.Repeat("9", 1000)
	cases := []struct {
		name, query, header, want string
	}{
		{"a non-numeric id", "", "abc", "abc"},
		{"a negative id", "", "-1", "-1"},
		{"an id past the largest", "", "99999999999999999999999", "99999999999999999999999"},
		{"a long id, cut", "", long, long[:engine.MaxGapIDLen]},
		{"a bad lastEventId parameter", "&lastEventId=x%0Ay", "", `x\ny`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := http.Header{}
			if c.header != "" {
				h.Set("Last-Event-ID", c.header)
			}
			s := openStream(t, ts, "/events?topic=public"+c.query, h)
			s.startResumed()
			got := s.next()
			if len(got) != 2 || got[0] != "event: herald.gap" || !strings.Contains(got[1], `"lastEventId":"`+c.want+`"`) {
				t.Fatalf("after the retry got %q, want a herald.gap repeating %q", got, c.want)
			}
		})
	}
}

func TestPublishedEventReachesEverySubscriberOfItsTopicOnly(t *testing.T) {
	_, ts := newTestServer(t, server.Config{})
	a := openStream(t, ts, "/events?topic=public", nil)
	b := openStream(t, ts, "/events?topic=public&topic=other", nil)
	c := openStream(t, ts, "/events?topic=other", nil)
	for _, s := range []*stream{a, b, c} {
		s.start()
	}
	_, out := publish(t, ts, notification("public", "hello"))
	id := out["id"].(string)
	want := []string{"id: " + id, "event: notification", `data: {"user":"ann","message":"hello","level":"info"}`}
	for _, s := range []*stream{a, b} {
		if got := s.next(); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("frame = %q, want %q", got, want)
		}
	}
	_, out = publish(t, ts, notification("other", "second"))
	if got := c.next(); got[0] != "id: "+out["id"].(string) {
		t.Errorf("subscriber of other got %q first, want the event on other", got)
	}
}

func TestIDsIncrease(t *testing.T) {
	_, ts := newTestServer(t, server.Config{})
	var last uint64
	for i := 0; i < 5; i++ {
		_, out := publish(t, ts, notification("public", "n"))
		id, err := strconv.ParseUint(out["id"].(string), 10, 64)
		if err != nil || id <= last {
			t.Fatalf("id %v after %d: not increasing", out["id"], last)
		}
		last = id
	}
}

func TestHeartbeatCommentsKeepAnIdleStreamAlive(t *testing.T) {
	_, ts := newTestServer(t, server.Config{Heartbeat: 50 * time.Millisecond})
	s := openStream(t, ts, "/events?topic=public", nil)
	s.start()
	// A heartbeat is a lone ":" line; the next blank line ends the "frame".
	line, err := s.r.ReadString('\n')
	if err != nil || line != ":\n" {
		t.Fatalf("got %q, %v; want a heartbeat comment", line, err)
	}
}

func TestResumeReplaysWhatFollowsTheLastEventID(t *testing.T) {
	_, ts := newTestServer(t, server.Config{})
	var ids []string
	for i := 0; i < 5; i++ {
		_, out := publish(t, ts, notification("public", "m"+strconv.Itoa(i)))
		ids = append(ids, out["id"].(string))
	}
	for _, how := range []string{"header", "query"} {
		t.Run("from the "+how, func(t *testing.T) {
			path, h := "/events?topic=public", http.Header{}
			if how == "header" {
				h.Set("Last-Event-ID", ids[1])
			} else {
				path += "&lastEventId=" + ids[1]
			}
			s := openStream(t, ts, path, h)
			s.startResumed()
			for _, want := range ids[2:] {
				if got := s.next(); got[0] != "id: "+want {
					t.Fatalf("replayed %q, want id %s", got, want)
				}
			}
		})
	}
}

// TestAResumeEndsItsReplayWithThePositionEvent resumes on a topic whose
// newest event is older than the stream's: after the replay comes the
// herald.position event of the stream's newest id.
func TestAResumeEndsItsReplayWithThePositionEvent(t *testing.T) {
	_, ts := newTestServer(t, server.Config{})
	var ids []string
	for i := 0; i < 3; i++ {
		_, out := publish(t, ts, notification("public", "m"+strconv.Itoa(i)))
		ids = append(ids, out["id"].(string))
	}
	_, out := publish(t, ts, `{"topic":"metrics","type":"metric","data":{"name":"cpu","value":1,"unit":"%","at":"2025-01-02T03:04:05Z"}}`)
	newest, _ := out["id"].(string)
	h := http.Header{}
	h.Set("Last-Event-ID", ids[0])
	s := openStream(t, ts, "/events?topic=public", h)
	s.startResumed()
	for _, want := range ids[1:] {
		if got := s.next(); got[0] != "id: "+want {
			t.Fatalf("replayed %q, want id %s", got, want)
		}
	}
	want := []string{"event: " + shared.PositionEvent, "data:", "id: " + newest}
	if got := s.next(); !slices.Equal(got, want) {
		t.Errorf("after the replay got %q, want %q", got, want)
	}
}

func TestResumeFromAnUnknownIDStartsWithAGapEvent(t *testing.T) {
	_, ts := newTestServer(t, server.Config{HistoryEvents: 2})
	var ids []string
	for i := 0; i < 4; i++ {
		_, out := publish(t, ts, notification("public", "m"))
		ids = append(ids, out["id"].(string))
	}
	h := http.Header{}
	h.Set("Last-Event-ID", ids[0])
	s := openStream(t, ts, "/events?topic=public", h)
	s.startResumed()
	got := s.next()
	want := []string{"event: herald.gap", `data: {"lastEventId":"` + ids[0] + `","oldestId":"` + ids[2] + `"}`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("first event = %q, want %q", got, want)
	}
	for _, id := range ids[2:] {
		if got := s.next(); got[0] != "id: "+id {
			t.Fatalf("after the gap got %q, want id %s", got, id)
		}
	}
}

func TestDrainTellsClientsWhenToComeBackAndEndsStreams(t *testing.T) {
	srv, ts := newTestServer(t, server.Config{Retry: time.Second})
	s := openStream(t, ts, "/events?topic=public", nil)
	s.start()
	srv.Drain()
	got := s.next()
	if len(got) != 1 || !strings.HasPrefix(got[0], "retry: ") {
		t.Fatalf("drain sent %q, want a retry line", got)
	}
	ms, _ := strconv.Atoi(strings.TrimPrefix(got[0], "retry: "))
	if ms < 1000 || ms >= 2000 {
		t.Errorf("drain retry = %dms, want within [1000, 2000)", ms)
	}
	if _, err := s.r.ReadByte(); err == nil {
		t.Error("stream still open after drain")
	}
}
