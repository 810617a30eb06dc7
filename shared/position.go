package shared

// PositionEvent is the type of the event that tells a client the stream's
// position: the id to resume from when it has not received an event yet, or
// when its replay ends before the newest id. The server sends it with an
// empty data line, "event: herald.position\ndata:\nid: P\n\n", so that
// clients which record an id only with an event (npm eventsource 3 and 4)
// record it too. A spec client sets its last event id and dispatches the
// event to no listener, as nobody listens to that type. It is part of the
// protocol, not of any app's schema: it cannot be published.
const PositionEvent = "herald.position"
