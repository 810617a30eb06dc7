package load

import (
	"math"
	"strings"
	"testing"
)

func TestARunRefusesARateThatIsNotANumberOfEventsASecond(t *testing.T) {
	for _, rate := range []float64{-1, math.NaN(), math.Inf(1)} {
		c := Config{URL: "http://127.0.0.1:1/events?topic=public", Streams: 1, Events: 1, Rate: rate}.withDefaults()
		if err := c.check(); err == nil || !strings.Contains(err.Error(), "rate") {
			t.Errorf("check with rate %v = %v; want an error that names the rate", rate, err)
		}
	}
}
