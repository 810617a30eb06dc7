package engine

import (
	"fmt"
	"strings"
)

// MaxTopicLen is the longest topic name accepted.
const MaxTopicLen = 128

// ValidateTopic reports whether name is a valid topic: 1 to MaxTopicLen bytes
// of ASCII letters, digits and "-_.~", in segments separated by single "/",
// such as "public" or "user/alice".
func ValidateTopic(name string) error {
	if name == "" {
		return fmt.Errorf("topic is empty")
	}
	if len(name) > MaxTopicLen {
		return fmt.Errorf("topic %.20q… is longer than %d bytes", name, MaxTopicLen)
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == "" {
			return fmt.Errorf("topic %q has an empty segment", name)
		}
		for i := 0; i < len(seg); i++ {
			if !isTopicByte(seg[i]) {
				return fmt.Errorf("topic %q has %q, not a letter, digit or one of -_.~/", name, seg[i])
			}
		}
	}
	return nil
}

func isTopicByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return c == '-' || c == '_' || c == '.' || c == '~'
}
