package peer

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPublisher(t *testing.T) {
	tests := []struct {
		name, auth, body string
		status           int
		published        []string
	}{
		{"one event is published", "Bearer t", `{"topic":"a","type":"probe","data":{"s":1}}`, 200, []string{`a {"s":1}`}},
		{"an array is published in order", "Bearer t", `[{"topic":"a","data":1},{"topic":"b","data":2}]`, 200, []string{"a 1", "b 2"}},
		{"a wrong token is refused", "Bearer x", `{"topic":"a","data":1}`, 401, nil},
		{"an event without a topic is refused", "Bearer t", `[{"data":1}]`, 400, nil},
		{"an empty array is refused", "Bearer t", `[]`, 400, nil},
		{"a body that is not JSON is refused", "Bearer t", `{`, 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			h := Publisher("t", func(e Event) error {
				got = append(got, e.Topic+" "+string(e.Data))
				return nil
			})
			req := httptest.NewRequest(http.MethodPost, "/publish", strings.NewReader(tt.body))
			req.Header.Set("Authorization", tt.auth)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.status || strings.Join(got, "|") != strings.Join(tt.published, "|") {
				t.Errorf("status %d, published %q; want %d, %q", rec.Code, got, tt.status, tt.published)
			}
		})
	}
}

func TestListenLoopbackRefusesOtherAddresses(t *testing.T) {
	if ln, err := listenLoopback("0.0.0.0:0"); err == nil {
		ln.Close()
		t.Error("listenLoopback(0.0.0.0:0) listened")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"topic":"a","type":"probe","data":{"t":1,"s":2}}`))
	f.Add([]byte(`[{"topic":"a","data":1},{"topic":"b","data":[]}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := Decode(body)
		if err != nil {
			return
		}
		if len(events) == 0 {
			t.Fatalf("Decode(%q) accepted no event", body)
		}
		for _, e := range events {
			if e.Topic == "" || len(e.Data) == 0 {
				t.Fatalf("Decode(%q) accepted %+v", body, e)
			}
		}
	})
}
