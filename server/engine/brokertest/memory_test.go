package brokertest_test

import (
	"testing"

	"github.com/heraldhq/herald/server/engine"
	"github.com/heraldhq/herald/server/engine/brokertest"
)

// The in-memory broker stores no events, has no size limit, keeps its keys
// for server.DedupeWindow, two minutes, too long to wait for, and cannot be
// unreachable.
func TestTheMemoryBrokerMeetsTheBrokerContract(t *testing.T) {
	brokertest.Suite{
		Open:    func(*testing.T) engine.Broker { return engine.NewMemoryBroker() },
		NoStore: true,
	}.Run(t)
}
