package events

import "fmt"

// Level is the severity of a notification.
type Level string

// The levels a Notification may have.
const (
	Info  Level = "info"
	Warn  Level = "warn"
	Error Level = "error"
)

// Enum returns the values a Level may take.
func (Level) Enum() []string { return []string{string(Info), string(Warn), string(Error)} }

// Notification is a message from one user to the readers of a topic.
type Notification struct {
	User    string `json:"user"`
	Message string `json:"message"`
	Level   Level  `json:"level"`
}

// Validate checks that the level is one of Info, Warn or Error, or empty, which
// readers take as Info.
func (n Notification) Validate() error {
	switch n.Level {
	case "", Info, Warn, Error:
		return nil
	}
	return fmt.Errorf("notification level %q is not one of info, warn, error", n.Level)
}
