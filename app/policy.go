//go:build !(js && wasm)

package main

import (
	"slices"
	"strings"

	"github.com/heraldhq/herald/app/events"
	"github.com/heraldhq/herald/server/security"
	"github.com/heraldhq/herald/shared"
)

// demoPolicy is the demo's security.Authorizer. Its public topics may be read by
// anyone, a user's own topic and its subtopics only by that signed-in user,
// and no other topic by anyone. A signed-in user may publish a notification
// to the public topic and anything to their own topics.
type demoPolicy struct{}

var _ security.Authorizer = demoPolicy{}

// CanRead reports whether topic is public, or u's own.
func (demoPolicy) CanRead(u security.User, topic string) bool {
	return slices.Contains(events.PublicTopics(), topic) || ownsTopic(u, topic)
}

// CanPublish reports whether u is signed in and publishes a notification to
// the public topic, or anything to their own topics.
func (demoPolicy) CanPublish(u security.User, topic, eventType string) bool {
	if topic == events.PublicTopic && eventType == events.Notify.Name() {
		return u.SignedIn()
	}
	return ownsTopic(u, topic)
}

// ownsTopic reports whether topic is u's own user topic or one of its
// subtopics. A user name holds no "/", so no user owns another's topics.
func ownsTopic(u security.User, topic string) bool {
	if !u.SignedIn() {
		return false
	}
	own := shared.UserTopic(u.Name)
	return topic == own || strings.HasPrefix(topic, own+"/")
}
