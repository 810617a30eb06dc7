// Package security is the protection of Herald's HTTP API: who a request
// comes from (User, the session cookie of Sessions, an Authenticator), what
// they may read and publish (Authorizer, with UserTopics as the default),
// which browser pages may call the API (Origins, the CSRF check, and the
// CORS layer built on it), how many streams a client and a user may hold
// (Limiter), and which reverse proxies may name the client (Proxies).
//
// A Server composes them from its Config; a program of its own implements
// Authorizer for its topics:
//
//	type policy struct{}
//
//	func (policy) CanRead(u security.User, topic string) bool { return topic == "poll" }
//	func (policy) CanPublish(u security.User, topic, eventType string) bool { return false }
package security
