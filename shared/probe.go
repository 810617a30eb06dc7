package shared

// Probe is a synthetic event for load tests and latency monitoring: the
// publisher stamps it with its clock and a sequence number, and a reader
// measures the delay and checks for gaps. The fields are encoded in this
// order, so T and S lead the data line.
type Probe struct {
	// T is when the probe was published, in Unix nanoseconds.
	T int64 `json:"t"`
	// S is the probe's sequence number.
	S int64 `json:"s"`
	// Pad makes the event as large as a test wants.
	Pad string `json:"pad"`
}

// ProbeEvent carries a Probe.
var ProbeEvent = Define[Probe]("probe")
