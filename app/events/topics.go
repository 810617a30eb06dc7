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

// userTopicPrefix starts the private topic of every user.
const userTopicPrefix = "user/"

// PublicTopics returns the topics anyone may read, in the order a page
// subscribes to them.
func PublicTopics() []string { return []string{PublicTopic, MetricsTopic, LogsTopic} }

// UserTopic returns the private topic of the user named name, where the
// demo sends the progress of the user's jobs: "user/<name>". It matches the
// library's security.UserTopic, which the browser build cannot import.
func UserTopic(name string) string { return userTopicPrefix + name }
