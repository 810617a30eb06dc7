package events

import "time"

// Metric is one sample of a named series.
type Metric struct {
	Name  string    `json:"name"`
	Value float64   `json:"value"`
	Unit  string    `json:"unit"`
	At    time.Time `json:"at"`
}
