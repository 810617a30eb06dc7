package server

import "net/http"

// serveHealth answers GET /healthz: the process is alive.
func (s *Server) serveHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// serveReady answers GET /readyz: 200 while the server accepts streams and
// publishes, 503 once it drains for shutdown or while its broker is
// unreachable. It is not an API request: its 503 is neither logged nor
// counted as a refusal.
func (s *Server) serveReady(w http.ResponseWriter, _ *http.Request) {
	if rf := s.unready(); rf != nil {
		writeRefusal(w, rf)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// unready returns why the server does not take streams and publishes now,
// or nil.
func (s *Server) unready() *refusal {
	select {
	case <-s.draining:
		return refuse(http.StatusServiceUnavailable, refusedDraining, "draining for shutdown").later(s.cfg.Retry)
	default:
	}
	if err := s.hub.Ready(); err != nil {
		return refuse(http.StatusServiceUnavailable, refusedUnavailable, "broker unreachable: %v", err).later(s.cfg.Retry)
	}
	return nil
}
