package server_test

import (
	"net/http/httptest"
	"testing"

	demo "github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/shared"
)

func testSchema() *shared.Schema { return demo.Schema }

func newHTTPServer(t *testing.T, srv *server.Server) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Drain(); ts.Close() })
	return ts
}
