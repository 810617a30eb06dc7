package events

import "fmt"

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
