package natsbroker_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/heraldhq/herald/internal/natstest"
	"github.com/heraldhq/herald/server/engine"
	"github.com/heraldhq/herald/server/engine/brokertest"
	"github.com/heraldhq/herald/server/natsbroker"
)

// TestTheNATSBrokerMeetsTheBrokerContract runs the conformance suite on
// brokers of a NATS server of their own, with JetStream's limits: 1,000 events
// in an atomic batch, and NATS's default largest message of 1 MB. An outage
// stops the NATS server.
func TestTheNATSBrokerMeetsTheBrokerContract(t *testing.T) {
	const window = time.Second
	var mu sync.Mutex
	servers := map[engine.Broker]*natstest.Server{}
	brokertest.Suite{
		Open: func(t *testing.T) engine.Broker {
			ns := natstest.Start(t)
			cfg := natsbroker.Config{URL: ns.URL(), DuplicateWindow: window, Timeout: time.Second}
			b, err := natsbroker.Open(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			servers[b] = ns
			return b
		},
		MaxBatch:     1000,
		MaxData:      1 << 20,
		DedupeWindow: window,
		Outage: func(t *testing.T, b engine.Broker) {
			mu.Lock()
			defer mu.Unlock()
			servers[b].Stop()
		},
	}.Run(t)
}
