package server_test

import (
	"net/http/httptest"
	"testing"

	demo "github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/security"
	"github.com/heraldhq/herald/shared"
)

func testSchema() *shared.Schema { return demo.Schema }

func newHTTPServer(t *testing.T, srv *server.Server) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Drain(); ts.Close() })
	return ts
}

// testPolicy is the Authorizer of the tests of per-topic rights: "public",
// "metrics" and "logs" may be read by anyone, "user/<name>" only by <name>,
// and no other topic by anyone. A signed-in user may publish a notification
// to "public" and anything to their own user topic.
type testPolicy struct{}

func (testPolicy) CanRead(u security.User, topic string) bool {
	return topic == "public" || topic == "metrics" || topic == "logs" || security.OwnsTopic(u, topic)
}

func (testPolicy) CanPublish(u security.User, topic, eventType string) bool {
	return u.SignedIn() && ((topic == "public" && eventType == "notification") || security.OwnsTopic(u, topic))
}
