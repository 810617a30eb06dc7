package server

// historyStats returns what the hub's history holds now.
func (h *hub) historyStats() HistoryStats {
	h.mu.Lock()
	defer h.mu.Unlock()
	return HistoryStats{Events: h.history.n, Bytes: h.history.bytes, OldestID: h.history.oldest()}
}
