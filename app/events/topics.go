package events

// The demo's public topics, which anyone may read.
const (
	// PublicTopic carries the notifications that signed-in users send to
	// everyone.
	PublicTopic = "public"
	// MetricsTopic carries the server's live figures.
	MetricsTopic = "metrics"
	// LogsTopic carries the server's log records.
	LogsTopic = "logs"
)

// PublicTopics returns the topics anyone may read, in the order a page
// subscribes to them.
func PublicTopics() []string { return []string{PublicTopic, MetricsTopic, LogsTopic} }
