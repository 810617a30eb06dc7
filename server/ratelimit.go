package server

import (
	"net/http"
	"sync"
	"time"

	"github.com/heraldhq/herald/server/security"
	"golang.org/x/time/rate"
)

// MaxRateKeys bounds the keys, users or client addresses, that one
// RateLimiter tells apart at once, so that a flood of new names cannot grow
// its memory without bound. When it is full, the keys whose bucket has
// refilled are forgotten, a sweep a second at most; until then, a new key
// shares a bucket with the others that found it full.
const MaxRateKeys = 100_000

// overflowKey is the bucket of the keys that find a RateLimiter full.
const overflowKey = "\x00overflow"

// RateLimiter bounds the rate of something per key, such as the events a
// user publishes or the sign-ins from one client address: perSecond on
// average, with bursts of up to burst at once. Its refusals (see Allow) are
// counted as over a limit when a handler run by Server.Guard returns them. It is safe for concurrent use.
type RateLimiter struct {
	perSecond rate.Limit
	burst     int
	what      string // what is limited, for the refusals: "publish", "sign-in"

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
	swept   time.Time // the last forgetFull
}

// sweepEvery is how often, at most, a full RateLimiter looks for buckets to
// forget, so that a flood of new keys does not cost a sweep each.
const sweepEvery = time.Second

// NewRateLimiter returns a limiter of perSecond per key on average, burst
// at once, whose refusals name what it limits, such as "job start".
func NewRateLimiter(what string, perSecond float64, burst int) *RateLimiter {
	return &RateLimiter{perSecond: rate.Limit(perSecond), burst: burst, what: what, buckets: map[string]*rate.Limiter{}}
}

// Allow takes n from key's bucket and returns nil, or the refusal to
// return when the bucket has less: 429 with the wait before it has enough,
// or, for n over the burst, which it never has, 413 that says so; both are
// counted as over a limit. A refused request takes nothing.
func (l *RateLimiter) Allow(key string, n int) error {
	if n > l.burst {
		return refuse(http.StatusRequestEntityTooLarge, refusedLimit, "%s: %d at once is over the limit of %d", l.what, n, l.burst)
	}
	now := time.Now()
	lim := l.bucket(key, now)
	res := lim.ReserveN(now, n)
	if wait := res.DelayFrom(now); wait > 0 {
		res.CancelAt(now)
		return refuse(http.StatusTooManyRequests, refusedLimit, "%s: over the limit of %g a second (bursts of %d): try again in %v",
			l.what, float64(l.perSecond), l.burst, wait.Round(time.Millisecond)).later(roundUp(wait))
	}
	return nil
}

// bucket returns key's bucket, made full if it has none.
func (l *RateLimiter) bucket(key string, now time.Time) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if lim, ok := l.buckets[key]; ok {
		return lim
	}
	if len(l.buckets) >= MaxRateKeys && now.Sub(l.swept) >= sweepEvery {
		l.forgetFull(now)
	}
	if len(l.buckets) >= MaxRateKeys {
		key = overflowKey
		if lim, ok := l.buckets[key]; ok {
			return lim
		}
	}
	lim := rate.NewLimiter(l.perSecond, l.burst)
	l.buckets[key] = lim
	return lim
}

// forgetFull drops the buckets that have refilled: a key that comes back
// gets a full one, just as it would have.
func (l *RateLimiter) forgetFull(now time.Time) {
	l.swept = now
	for key, lim := range l.buckets {
		if lim.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, key)
		}
	}
}

// roundUp returns d rounded up to whole seconds, as Retry-After says it.
func roundUp(d time.Duration) time.Duration {
	return (d + time.Second - 1).Truncate(time.Second)
}

// rateLimits are a Server's rate limits.
type rateLimits struct {
	userPublish  *RateLimiter // by user name
	tokenPublish *RateLimiter // one bucket: the publish token's
	signIn       *RateLimiter // by client address
}

func newRateLimits(c Config) rateLimits {
	return rateLimits{
		userPublish:  NewRateLimiter("publish", c.UserPublishRate, c.UserPublishBurst),
		tokenPublish: NewRateLimiter("publish with the token", c.TokenPublishRate, c.TokenPublishBurst),
		signIn:       NewRateLimiter("sign-in", c.SignInRate, c.SignInBurst),
	}
}

// allowSignIn takes a sign-in of r's client address from its rate.
func (s *Server) allowSignIn(r *http.Request) error {
	client, _ := s.sec.proxies.ClientAddr(r)
	return s.rates.signIn.Allow(security.ClientKey(client), 1)
}
