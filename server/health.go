package server

import "net/http"

// serveHealth answers GET /healthz: the process is alive.
func (s *Server) serveHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// serveReady answers GET /readyz: 200 while the server accepts streams and
// publishes, 503 once it drains for shutdown or while its broker is
// unreachable.
func (s *Server) serveReady(w http.ResponseWriter, _ *http.Request) {
	select {
	case <-s.draining:
		writeBusy(w, http.StatusServiceUnavailable, s.cfg.Retry, "draining for shutdown")
		return
	default:
	}
	if err := s.hub.broker.Ready(); err != nil {
		writeBusy(w, http.StatusServiceUnavailable, s.cfg.Retry, "broker unreachable: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
