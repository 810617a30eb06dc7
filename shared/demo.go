package shared

import (
	"fmt"
	"time"
)

// The demo's event types. Schema holds them all.
var (
	// Notify carries a Notification.
	Notify = Define[Notification]("notification")
	// MetricEvent carries a Metric.
	MetricEvent = Define[Metric]("metric")
	// ProgressEvent carries a Progress.
	ProgressEvent = Define[Progress]("progress")
	// LogEvent carries a LogLine.
	LogEvent = Define[LogLine]("log")

	// Demo is the schema of the demo's event types.
	Demo = MustSchema(Notify, MetricEvent, ProgressEvent, LogEvent, ProbeEvent)
)

// Level is the severity of a notification.
type Level string

// The levels a Notification may have.
const (
	Info  Level = "info"
	Warn  Level = "warn"
	Error Level = "error"
)

// Notification is a message from one user to the readers of a topic.
type Notification struct {
	User    string `json:"user"`
	Message string `json:"message"`
	Level   Level  `json:"level"`
}

// Enum returns the values a Level may take.
func (Level) Enum() []string { return []string{string(Info), string(Warn), string(Error)} }

// Validate checks that the level is one of Info, Warn or Error, or empty, which
// readers take as Info.
func (n Notification) Validate() error {
	switch n.Level {
	case "", Info, Warn, Error:
		return nil
	}
	return fmt.Errorf("notification level %q is not one of info, warn, error", n.Level)
}

// Metric is one sample of a named series.
type Metric struct {
	Name  string    `json:"name"`
	Value float64   `json:"value"`
	Unit  string    `json:"unit"`
	At    time.Time `json:"at"`
}

// JobState is the state of a long-running job.
type JobState string

// The states a Progress may report.
const (
	Running JobState = "running"
	Done    JobState = "done"
	Failed  JobState = "failed"
)

// Enum returns the values a JobState may take.
func (JobState) Enum() []string { return []string{string(Running), string(Done), string(Failed)} }

// Progress reports how far a job has come.
type Progress struct {
	Job   string   `json:"job"`
	Done  int      `json:"done"`
	Total int      `json:"total"`
	State JobState `json:"state"`
}

// Validate checks the state and that 0 <= Done <= Total.
func (p Progress) Validate() error {
	switch p.State {
	case Running, Done, Failed:
	default:
		return fmt.Errorf("progress state %q is not one of running, done, failed", p.State)
	}
	if p.Done < 0 || p.Total < 0 || p.Done > p.Total {
		return fmt.Errorf("progress done %d of total %d is out of range", p.Done, p.Total)
	}
	return nil
}

// LogLine is one line of a log.
type LogLine struct {
	At    time.Time `json:"at"`
	Level string    `json:"level"`
	Text  string    `json:"text"`
}
