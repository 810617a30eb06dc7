package load

import (
	"strconv"
	"strings"
)

// probeFields finds the send time "t" and the sequence number "s" of a probe
// in data, wherever they are, and reports whether both were found, neither
// below zero: anything else is not a probe of this load generator. It does
// not decode the JSON, so that it costs little per event; a server may wrap
// the probe in an envelope of its own.
func probeFields(data string) (t, s int64, ok bool) {
	t, okT := intField(data, `"t":`)
	s, okS := intField(data, `"s":`)
	return t, s, okT && okS && t >= 0 && s >= 0
}

// intField returns the integer after the first occurrence of key in data,
// spaces after the colon allowed. It is parsed by hand: this runs for every
// event delivered.
func intField(data, key string) (int64, bool) {
	i := strings.Index(data, key)
	if i < 0 {
		return 0, false
	}
	rest := strings.TrimLeft(data[i+len(key):], " ")
	neg := strings.HasPrefix(rest, "-")
	if neg {
		rest = rest[1:]
	}
	var v int64
	n := 0
	for ; n < len(rest) && n < 19 && rest[n] >= '0' && rest[n] <= '9'; n++ {
		v = v*10 + int64(rest[n]-'0')
	}
	if n == 0 || n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		return 0, false // no digits, or too many for an int64
	}
	if neg {
		v = -v
	}
	return v, true
}

// appendProbe appends the publish request of the probe numbered seq, stamped
// t, to topic with pad bytes of padding: {"topic":…,"type":"probe","data":
// {"t":…,"s":…,"pad":"xx…"}}. The topic is encoded as a JSON string.
func appendProbe(dst []byte, topic []byte, t, seq int64, pad int) []byte {
	dst = append(dst, `{"topic":`...)
	dst = append(dst, topic...)
	dst = append(dst, `,"type":"probe","data":{"t":`...)
	dst = strconv.AppendInt(dst, t, 10)
	dst = append(dst, `,"s":`...)
	dst = strconv.AppendInt(dst, seq, 10)
	dst = append(dst, `,"pad":"`...)
	for range pad {
		dst = append(dst, 'x')
	}
	return append(dst, `"}}`...)
}

// publishBody returns the body of a publish request for the probes numbered
// first to first+n-1, all stamped t: one object when n is 1, else an array.
func publishBody(dst []byte, topic []byte, t, first int64, n, pad int) []byte {
	if n == 1 {
		return appendProbe(dst, topic, t, first, pad)
	}
	dst = append(dst, '[')
	for i := range int64(n) {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendProbe(dst, topic, t, first+i, pad)
	}
	return append(dst, ']')
}
