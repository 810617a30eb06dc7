package server

import (
	"strconv"
	"strings"
)

// acceptsGzip reports whether the Accept-Encoding field values take gzip
// (RFC 9110, 12.5.3): gzip, or its alias x-gzip, listed with a weight above
// zero, or not listed and "*" listed so. "gzip;q=0" refuses it whatever
// "*" says. An element whose weight is malformed counts as refused.
func acceptsGzip(values []string) bool {
	gzip, star := -1.0, -1.0 // the weights given; -1: not listed
	for _, v := range values {
		for elem := range strings.SplitSeq(v, ",") {
			coding, q := parseCoding(elem)
			switch coding {
			case "gzip", "x-gzip":
				gzip = max(gzip, q)
			case "*":
				star = max(star, q)
			}
		}
	}
	if gzip >= 0 {
		return gzip > 0
	}
	return star > 0
}

// parseCoding returns the content coding of one element of Accept-Encoding,
// in lower case, and its weight: 1 without a q parameter, 0 when the q
// parameter is malformed or out of range.
func parseCoding(elem string) (coding string, q float64) {
	coding, params, _ := strings.Cut(elem, ";")
	coding = strings.ToLower(strings.TrimSpace(coding))
	q = 1
	for p := range strings.SplitSeq(params, ";") {
		name, value, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		q = parseWeight(strings.TrimSpace(value))
	}
	return coding, q
}

// parseWeight returns the weight of a qvalue: "0" to "1" with up to three
// decimals. Anything else is 0.
func parseWeight(s string) float64 {
	if s == "" || len(s) > len("0.000") || (s[0] != '0' && s[0] != '1') {
		return 0
	}
	if len(s) > 1 && s[1] != '.' {
		return 0
	}
	for _, c := range s[min(len(s), 2):] {
		if c < '0' || c > '9' {
			return 0
		}
	}
	q, err := strconv.ParseFloat(s, 64)
	if err != nil || q > 1 {
		return 0
	}
	return q
}
