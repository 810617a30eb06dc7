package shared

// UserTopic returns the private topic of the user named name,
// "user/<name>": under the server's default policy only that user reads it,
// and its subtopics "user/<name>/…".
func UserTopic(name string) string { return "user/" + name }
