package natsbroker

import (
	"fmt"
	"strings"

	"github.com/heraldhq/herald/server/engine"
)

// A topic's subject is the broker's subject prefix followed by the topic's
// segments as tokens: "user/alice" is herald.topic.user.alice. A NATS token
// may not hold ".", "*", ">" or white space; of those a valid topic can only
// hold ".", which becomes "%2E" ("v1.2" is herald.topic.v1%2E2). "%" is not a
// topic character, so the mapping is one to one and reversible.

// EncodeTopic returns the subject tokens of a valid topic, without the
// prefix.
func EncodeTopic(topic string) string {
	return strings.ReplaceAll(strings.ReplaceAll(topic, ".", "%2E"), "/", ".")
}

// DecodeTopic returns the topic whose subject tokens are tokens, or an error
// if no valid topic maps onto them.
func DecodeTopic(tokens string) (string, error) {
	topic := strings.ReplaceAll(strings.ReplaceAll(tokens, ".", "/"), "%2E", ".")
	if err := engine.ValidateTopic(topic); err != nil {
		return "", fmt.Errorf("subject tokens %q: %w", tokens, err)
	}
	if EncodeTopic(topic) != tokens {
		return "", fmt.Errorf("subject tokens %q are not the encoding of a topic", tokens)
	}
	return topic, nil
}
