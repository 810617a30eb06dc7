package server

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/heraldhq/herald/server/engine"
	"github.com/heraldhq/herald/server/security"
	"github.com/heraldhq/herald/shared"
	"github.com/rs/cors"
)

// Server is a fan-out hub with its HTTP API. Make one with New.
type Server struct {
	cfg      Config
	hub      *engine.Hub
	draining chan struct{}
	drain    sync.Once
	live     liveStreams
	// bySession are the streams that end at their session's sign-out.
	bySession sessionStreams
	counters  counters
	sec       protection
	rates     rateLimits
}

// protection is a Server's security layer: sessions, the per-topic policy,
// the origin check and CORS, the connection limits, the trusted proxies and
// the log of refusals.
type protection struct {
	sessions    *security.Sessions
	revocations security.Revocations
	authorizer  security.Authorizer
	hosts       *security.Hosts
	origins     *security.Origins
	cors        *cors.Cors
	limits      *security.Limiter
	proxies     *security.Proxies
	log         *slog.Logger
	refusalLogs *refusalBudget
}

// New returns a Server configured by cfg, with defaults for the zero settings.
func New(cfg Config) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, draining: make(chan struct{}), rates: newRateLimits(cfg)}
	if s.sec, err = newProtection(cfg); err != nil {
		return nil, fmt.Errorf("server config: %w", err)
	}
	broker := cfg.Broker
	if broker == nil {
		broker = engine.NewMemoryBroker()
	}
	s.hub, err = engine.New(broker, engine.Config{
		QueueEvents:   cfg.QueueEvents,
		QueueBytes:    cfg.QueueBytes,
		HistoryEvents: cfg.HistoryEvents,
		HistoryBytes:  cfg.HistoryBytes,
		HistoryAge:    cfg.HistoryAge,
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// newProtection returns the security layer that c configures.
func newProtection(c Config) (protection, error) {
	sessions, err := security.NewSessions(c.Session)
	if err != nil {
		return protection{}, fmt.Errorf("Session: %w", err)
	}
	origins, err := security.NewOrigins(c.AllowedOrigins)
	if err != nil {
		return protection{}, fmt.Errorf("AllowedOrigins: %w", err)
	}
	hosts, err := security.NewHosts(c.AllowedHosts, c.Loopback)
	if err != nil {
		return protection{}, fmt.Errorf("AllowedHosts: %w", err)
	}
	proxies, err := security.NewProxies(c.TrustedProxies)
	if err != nil {
		return protection{}, fmt.Errorf("TrustedProxies: %w", err)
	}
	p := protection{
		sessions:    sessions,
		revocations: c.Revocations,
		authorizer:  c.Authorizer,
		hosts:       hosts,
		origins:     origins,
		cors:        security.NewCORS(origins),
		limits:      security.NewLimiter(c.MaxConns, c.MaxConnsPerClient, c.MaxConnsPerUser),
		proxies:     proxies,
		log:         c.Logger,
	}
	if p.authorizer == nil {
		p.authorizer = security.UserTopics{}
	}
	if p.revocations == nil {
		p.revocations = &security.MemoryRevocations{}
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	p.refusalLogs = &refusalBudget{perSecond: c.MaxRefusalLogs, log: p.log}
	return p, nil
}

// Handler returns the HTTP API:
//
//	GET  /events?topic=T[&topic=U…]  the event stream of the topics
//	HEAD /events?topic=T[&topic=U…]  its header alone: no stream opens
//	GET  /state?topic=T[&topic=U…]   the topics' history at one event id (see PublicHistory)
//	POST /publish                     publish one event, or an array of events
//	GET  /session                     the signed-in user, or 401
//	POST /session                     sign in: {"name": "alice"}, when enabled
//	DELETE /session                   sign out
//	GET  /healthz                     200 while the process is alive
//	GET  /readyz                      200 while it accepts streams, 503 when draining
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.Mount(mux)
	return mux
}

// Mount registers the HTTP API on mux, at the paths Handler lists.
func (s *Server) Mount(mux *http.ServeMux) {
	mux.Handle("GET /events", s.guard(s.serveEvents))
	mux.Handle("GET /state", s.guard(s.serveState))
	mux.Handle("POST /publish", s.guard(s.servePublish))
	mux.Handle("GET /session", s.guard(s.serveSession))
	mux.Handle("POST /session", s.guard(s.serveSignIn))
	mux.Handle("DELETE /session", s.guard(s.serveSignOut))
	mux.Handle("OPTIONS /session", s.guard(allow("GET, POST, DELETE, OPTIONS")))
	mux.Handle("OPTIONS /events", s.guard(allow("GET, OPTIONS")))
	mux.Handle("OPTIONS /state", s.guard(allow("GET, OPTIONS")))
	mux.Handle("OPTIONS /publish", s.guard(allow("POST, OPTIONS")))
	mux.HandleFunc("GET /healthz", s.serveHealth)
	mux.HandleFunc("GET /readyz", s.serveReady)
}

// allow answers an OPTIONS request that is not a CORS preflight (the CORS
// layer answers those): it lists the methods of the path.
func allow(methods string) handler {
	return func(w http.ResponseWriter, _ *http.Request) error {
		w.Header().Set("Allow", methods)
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// Publish validates and publishes msgs in one batch, from Go: the same path as
// POST /publish without the HTTP and its publish rates. It returns the ids in order, once the
// streams' queues are short enough: a publisher that runs ahead of delivery
// waits, a second at most.
func (s *Server) Publish(msgs ...engine.Message) ([]string, error) {
	valid, err := s.validate(msgs)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	return s.hub.Publish(context.Background(), valid)
}

// Publish encodes v as an event of type e and publishes it to topic on srv. It
// returns the event's id.
func Publish[T any](srv *Server, topic string, e shared.Event[T], v T) (string, error) {
	if _, ok := srv.cfg.Schema.Lookup(e.Name()); !ok {
		return "", fmt.Errorf("publish: event type %q is not in the server's schema", e.Name())
	}
	if err := engine.ValidateTopic(topic); err != nil {
		return "", fmt.Errorf("publish: %w", err)
	}
	data, err := e.Encode(v)
	if err != nil {
		return "", fmt.Errorf("publish: %w", err)
	}
	ids, err := srv.hub.Publish(context.Background(), []engine.Message{{Topic: topic, Type: e.Name(), Data: data}})
	if err != nil {
		return "", fmt.Errorf("publish: %w", err)
	}
	return ids[0], nil
}

// Drain stops the server's streams: it refuses new ones and publishes, sends
// each connected client what is queued for it and when to come back (a retry
// spread with jitter, so they do not all return at once), and closes the
// streams. It returns once they are closed, within the write timeout.
// Everything published before Drain stays in the history for clients to
// resume. Call it before http.Server.Shutdown.
func (s *Server) Drain() { _ = s.DrainContext(context.Background()) }

// DrainContext drains the server as Drain does, but waits for the streams
// only until ctx is done: it then closes the connections of the streams
// left, those of clients that do not take their last writes, and returns an
// error that says how many it cut. A stream still in its handler (HTTP/2,
// TLS) ends when http.Server.Close closes its connection: call Shutdown
// with the same ctx, and Close if it fails.
func (s *Server) DrainContext(ctx context.Context) error {
	s.drain.Do(func() {
		s.hub.Close()
		close(s.draining)
		for _, st := range s.live.drain() {
			st.sub.Signal(engine.NoteShutdown)
		}
	})
	if s.live.wait(ctx) {
		return nil
	}
	left := s.live.all()
	for _, st := range left {
		st.cut()
	}
	return fmt.Errorf("drain: %d streams not closed in time were cut: %w", len(left), ctx.Err())
}

// soonRetry returns the reconnection delay sent when a stream ends at its
// lifetime or with its session, for the client to come back at once: under
// a second, and under Retry, at random.
func (s *Server) soonRetry() time.Duration {
	return rand.N(min(s.cfg.Retry, time.Second))
}

// drainRetry returns the reconnection delay sent when draining: between one
// and two Retry periods, at random.
func (s *Server) drainRetry() time.Duration {
	return s.cfg.Retry + rand.N(s.cfg.Retry)
}
