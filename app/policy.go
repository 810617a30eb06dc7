//go:build !(js && wasm)

package main

import "github.com/heraldhq/herald/server/security"

// demoPolicy is the demo's Authorizer. "public", "metrics" and "logs" may be
// read by anyone, "user/<name>" only by the signed-in user <name>, and no
// other topic by anyone. A signed-in user may publish a notification to
// "public" and anything to their own user topic.
type demoPolicy struct{}

// demoPublicTopics are the topics of the demo that anyone may read.
var demoPublicTopics = map[string]bool{"public": true, "metrics": true, "logs": true}

// CanRead reports whether topic is one of the demo's public topics, or u's
// own user topic.
func (demoPolicy) CanRead(u security.User, topic string) bool {
	return demoPublicTopics[topic] || security.OwnsTopic(u, topic)
}

// CanPublish reports whether u is signed in and publishes a notification to
// "public", or anything to their own user topic.
func (demoPolicy) CanPublish(u security.User, topic, eventType string) bool {
	return u.SignedIn() && ((topic == "public" && eventType == "notification") || security.OwnsTopic(u, topic))
}
