package brokertest_test

import (
	"testing"

	"github.com/heraldhq/herald/server"
	"github.com/heraldhq/herald/server/brokertest"
)

// The in-memory broker stores no events, has no size limit, keeps its keys
// for server.DedupeWindow, two minutes, too long to wait for, and cannot be
// unreachable.
func TestTheMemoryBrokerMeetsTheBrokerContract(t *testing.T) {
	brokertest.Suite{
		Open:    func(*testing.T) server.Broker { return server.NewMemoryBroker() },
		NoStore: true,
	}.Run(t)
}
