// Package brokertest is a conformance suite for the implementations of
// engine.Broker: it checks, through the interface alone, the contract its doc
// comments state. A broker of your own, on Redis, Postgres or anything else,
// is right when it passes. Call Run from a test of yours with a function that
// opens a fresh, empty broker for each subtest:
//
//	func TestMyBroker(t *testing.T) {
//		brokertest.Run(t, func(t *testing.T) engine.Broker {
//			b, err := mybroker.Open(newEmptyDatabase(t))
//			if err != nil {
//				t.Fatal(err)
//			}
//			return b
//		})
//	}
//
// The suite closes each broker when its subtest ends; the function undoes
// with t.Cleanup whatever else it set up. Run skips the cases that need to
// know the broker's size limits, a dedupe window short enough to wait for,
// or a way to make the broker unreachable. Declare those with Suite, and the
// suite runs them too:
//
//	brokertest.Suite{
//		Open:         openMyBroker,            // with a dedupe window of one second
//		MaxBatch:     1000,                    // the most events of one batch
//		MaxData:      1 << 20,                 // the most bytes of one event's data
//		DedupeWindow: time.Second,
//		Outage: func(t *testing.T, b engine.Broker) {
//			stopMyDatabase(t)                // until the subtest ends
//		},
//	}.Run(t)
//
// A broker that stores no events, as the in-memory one, declares NoStore: the
// suite then expects its Read to find nothing and its Start to deliver only
// what is published after it.
//
// The subtests are not parallel, and every wait in them is bounded: a broker
// that hangs fails the suite rather than blocking it.
package brokertest
