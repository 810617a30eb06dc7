package eventsource

import (
	"maps"
	"net/url"
	"slices"
)

// sameStream reports whether the stream URLs a and b, resolved against base,
// name the same stream, whatever lastEventId each holds: the same scheme,
// host and path, and the same query parameters with their values in order.
// The page's early stream (web/stream.js) is adopted by the Source whose URL
// is the same stream as its own.
func sameStream(a, b string, base *url.URL) bool {
	ua, err := resolveURL(a, base)
	if err != nil {
		return false
	}
	ub, err := resolveURL(b, base)
	if err != nil {
		return false
	}
	qa, qb := ua.Query(), ub.Query()
	qa.Del("lastEventId")
	qb.Del("lastEventId")
	return ua.Scheme == ub.Scheme && ua.Host == ub.Host && ua.Path == ub.Path &&
		maps.EqualFunc(qa, qb, slices.Equal)
}
