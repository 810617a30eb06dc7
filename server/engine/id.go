package engine

import (
	"fmt"
	"strconv"
)

// MaxIDLen is the longest event id the hub reads.
const MaxIDLen = 20

// FormatID returns the event id of sequence number seq.
func FormatID(seq uint64) string { return strconv.FormatUint(seq, 10) }

// ParseID reads an event id as the hub issues them: decimal digits only.
func ParseID(id string) (uint64, error) {
	if len(id) == 0 || len(id) > MaxIDLen {
		return 0, fmt.Errorf("event id %.24q is not 1 to %d digits", id, MaxIDLen)
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return 0, fmt.Errorf("event id %.24q is not all digits", id)
		}
	}
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("event id %q is out of range", id)
	}
	return n, nil
}
