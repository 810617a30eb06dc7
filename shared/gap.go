package shared

// Gap is the data of the herald.gap event, which starts a stream when the
// server no longer holds (or never issued) the id the client resumed from:
// events may have been missed, and the app should refetch its state.
type Gap struct {
	// LastEventID is the id the client resumed from.
	LastEventID string `json:"lastEventId"`
	// OldestID is the oldest id the server still holds, or "" if none.
	OldestID string `json:"oldestId"`
}

// GapEvent is the herald.gap event. It is part of the protocol, not of any
// app's schema: it cannot be published.
var GapEvent = Define[Gap]("herald.gap")
