// Package engine is Herald's fan-out engine, the part of the server that
// knows nothing of HTTP: a Hub takes published messages to a Broker, which
// numbers and stores them, and hands each event the broker delivers, encoded
// once as a server-sent event, to the queues of the subscribers of its topic.
// The Hub keeps the newest events in a history, from which, and from the
// broker, a subscriber that resumes from an event id gets what it missed.
//
// The data path: Hub.Publish → Broker.Publish → the broker's deliveries →
// the history and each Subscriber's bounded queue → Subscriber.Take by the
// stream's writer. A publisher that runs ahead of the writers is paced: its
// Publish returns once the queues are short enough, a second at most.
package engine
