package server

import "net/http"

// Guard returns h as an API handler of its own: a program's handler beside
// the API, such as a demo's POST /jobs, goes through the same checks as
// every API request (the Host allowlist, CORS, no credentials in the URL,
// the origin check, in place of http.CrossOriginProtection, whose refusals
// are plain text and not counted), and the error it returns is answered, logged and counted as the API's
// refusals are: a refusal from Refuse or a RateLimiter as it says, any other
// error as 500. When h returns nil, it has answered.
func (s *Server) Guard(h func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return s.guard(h)
}

// Refuse returns the error with which a handler run by Guard refuses its
// request: the status to answer, and what failed in words, sent as the
// JSON error and logged. It is counted by its status: 401 and 403 as auth,
// 429 as limit, 503 as unavailable, other 5xx as internal, the rest as bad
// input.
func Refuse(status int, format string, args ...any) error {
	return refuse(status, reasonOf(status), format, args...)
}

// reasonOf returns the reason a refusal with status is counted under.
func reasonOf(status int) refuseReason {
	switch {
	case status == http.StatusUnauthorized, status == http.StatusForbidden:
		return refusedAuth
	case status == http.StatusTooManyRequests:
		return refusedLimit
	case status == http.StatusServiceUnavailable:
		return refusedUnavailable
	case status >= 500:
		return refusedInternal
	}
	return refusedBadInput
}
