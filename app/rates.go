//go:build !(js && wasm)

package main

import (
	"flag"
	"fmt"

	"github.com/heraldhq/herald/server"
)

// rateConfig is the rate limits of the server binary: of publishing, per
// signed-in user and for the publish token; of sign-ins, per client
// address; of the demo's job starts, per user.
type rateConfig struct {
	userPublishRate   float64
	userPublishBurst  int
	tokenPublishRate  float64
	tokenPublishBurst int
	signInRate        float64
	signInBurst       int
	jobRate           float64
	jobBurst          int
}

// addRateFlags adds the rate limits to fs, bound to c.
func addRateFlags(fs *flag.FlagSet, c *rateConfig) {
	fs.Float64Var(&c.userPublishRate, "user-publish-rate", server.DefaultUserPublishRate, "events a second each signed-in user may publish on average; over it: 429")
	fs.IntVar(&c.userPublishBurst, "user-publish-burst", server.DefaultUserPublishBurst, "events a signed-in user may publish at once, over -user-publish-rate")
	fs.Float64Var(&c.tokenPublishRate, "token-publish-rate", server.DefaultTokenPublishRate, "events a second that may be published with the publish token on average; over it: 429")
	fs.IntVar(&c.tokenPublishBurst, "token-publish-burst", server.DefaultTokenPublishBurst, "events that may be published at once with the publish token, over -token-publish-rate")
	fs.Float64Var(&c.signInRate, "sign-in-rate", server.DefaultSignInRate, "sign-ins a second from one client address on average; over it: 429")
	fs.IntVar(&c.signInBurst, "sign-in-burst", server.DefaultSignInBurst, "sign-ins at once from one client address, over -sign-in-rate")
	fs.Float64Var(&c.jobRate, "job-rate", defaultJobRate, "demo jobs a second each signed-in user may start on average; over it: 429")
	fs.IntVar(&c.jobBurst, "job-burst", defaultJobBurst, "demo jobs a signed-in user may start at once, over -job-rate")
}

// check reports the first rate limit out of range.
func (c *rateConfig) check() error {
	for _, r := range []struct {
		name string
		v    float64
	}{{"user-publish-rate", c.userPublishRate}, {"token-publish-rate", c.tokenPublishRate}, {"sign-in-rate", c.signInRate}, {"job-rate", c.jobRate}} {
		if r.v <= 0 {
			return fmt.Errorf("invalid -%s %g: want more than 0", r.name, r.v)
		}
	}
	for _, b := range []struct {
		name string
		v    int
	}{{"user-publish-burst", c.userPublishBurst}, {"token-publish-burst", c.tokenPublishBurst}, {"sign-in-burst", c.signInBurst}, {"job-burst", c.jobBurst}} {
		if b.v < 1 {
			return fmt.Errorf("invalid -%s %d: want at least 1", b.name, b.v)
		}
	}
	return nil
}
