package events

import "time"

// LogLine is one record of the server's log.
type LogLine struct {
	At time.Time `json:"at"`
	// Level is "debug", "info", "warn" or "error".
	Level string `json:"level"`
	// Text is the message followed by the record's attributes as
	// key=value.
	Text string `json:"text"`
}
