package events

import "github.com/heraldhq/herald/shared"

// The demo's event types. Schema holds them all.
var (
	// Notify carries a Notification.
	Notify = shared.Define[Notification]("notification")
	// MetricEvent carries a Metric.
	MetricEvent = shared.Define[Metric]("metric")
	// ProgressEvent carries a Progress.
	ProgressEvent = shared.Define[Progress]("progress")
	// LogEvent carries a LogLine.
	LogEvent = shared.Define[LogLine]("log")

	// Schema is the schema of the demo's event types, with Herald's probe
	// for the load generator.
	Schema = shared.MustSchema(Notify, MetricEvent, ProgressEvent, LogEvent, shared.ProbeEvent)
)
