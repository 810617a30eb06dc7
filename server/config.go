package server

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/heraldhq/herald/server/engine"
	"github.com/heraldhq/herald/server/security"
	"github.com/heraldhq/herald/shared"
)

// Config configures a Server. Zero values take the defaults below.
type Config struct {
	// Schema holds the event types that may be published. Required.
	Schema *shared.Schema
	// PublishToken is the service credential for POST /publish, sent as
	// "Authorization: Bearer <token>". Empty disables publishing over HTTP.
	PublishToken string

	// Retry is the reconnection delay sent to clients at connect.
	Retry time.Duration
	// Heartbeat is the interval of the comment lines that keep idle streams
	// open through proxies.
	Heartbeat time.Duration
	// WriteTimeout bounds each write to a stream; a client that does not take
	// its bytes in time is disconnected.
	WriteTimeout time.Duration
	// NoGzip turns compression off: every stream is sent as it is, even to
	// clients whose Accept-Encoding takes gzip. With it on (the default),
	// such a stream is sent gzipped, each event compressed once for all
	// the streams that carry it and sent at once, nothing held back in a
	// compressor (see README, Compression).
	NoGzip bool
	// MaxLifetime, when set, closes each stream after about that long (less
	// up to a quarter, at random), so that long-lived connections rotate
	// across servers without all reconnecting at once. Zero keeps streams
	// open for as long as the client stays. Either way, a stream of topics
	// closed to signed-out users ends by its session's expiry (User.Expires).
	MaxLifetime time.Duration

	// QueueEvents and QueueBytes bound each subscriber's queue of events not yet
	// written. A subscriber that overflows either is disconnected, and resumes
	// from history.
	QueueEvents int
	QueueBytes  int

	// HistoryEvents, HistoryBytes and HistoryAge bound the history kept for
	// resuming clients, for each topic class: the first segment of a topic,
	// "user" for "user/alice". All classes together hold at most twice
	// them; past that, the class that holds the most gives up its oldest
	// events first, so a flood on one class evicts that class's events,
	// not those of "public" (unless it holds the most).
	HistoryEvents int
	HistoryBytes  int
	HistoryAge    time.Duration

	// UserPublishRate and UserPublishBurst bound the events each signed-in
	// user may publish: UserPublishRate a second on average, bursts of up
	// to UserPublishBurst at once. A publish over them is refused whole with
	// 429 and Retry-After; a batch counts one per event.
	UserPublishRate  float64
	UserPublishBurst int
	// TokenPublishRate and TokenPublishBurst bound the events published with
	// the publish token, all its holders together, in the same way: far
	// higher by default, for the service that publishes.
	TokenPublishRate  float64
	TokenPublishBurst int
	// SignInRate and SignInBurst bound the sign-ins of POST /session from
	// one client address (see TrustedProxies), in the same way.
	SignInRate  float64
	SignInBurst int

	// MaxPublishBytes bounds the body of POST /publish.
	MaxPublishBytes int64
	// MaxTopics bounds the topics of one stream.
	MaxTopics int

	// Security: see package security.

	// Session configures the session cookie.
	Session security.SessionConfig
	// Revocations remembers the sessions signed out before their cookie
	// expired, whose cookie is then refused. Nil is a
	// security.MemoryRevocations of this Server's own; servers that share
	// their users need a shared one, such as natsbroker's.
	Revocations security.Revocations
	// Stamper rewrites the events a signed-in user publishes, such as to
	// set their author from the session. Nil publishes them as sent.
	Stamper security.Stamper
	// Authenticator tells who a request without a valid session cookie comes
	// from. Nil: only the session cookie signs users in.
	Authenticator security.Authenticator
	// Authorizer decides who may read and publish each topic. Nil is
	// UserTopics.
	Authorizer security.Authorizer
	// AllowedOrigins are the exact origins, such as
	// "https://app.example.com", of the other sites whose pages may use the
	// API with credentials. Browser requests from any other origin get 403.
	AllowedOrigins []string
	// AllowedHosts are the names of the Server, each a host
	// ("herald.example.com"), allowed with any port, or a host:port. A
	// request whose Host header is not one of them gets 421, and is counted
	// as an origin refusal: it defends a server on a private network or on
	// loopback against DNS rebinding. Empty: on Loopback, the loopback names
	// (security.LoopbackHosts) with any port; otherwise every host.
	AllowedHosts []string
	// Loopback tells the Server that it listens on loopback addresses only,
	// so that with no AllowedHosts it accepts only the loopback names.
	Loopback bool
	// MaxConns, MaxConnsPerClient and MaxConnsPerUser bound the streams open
	// at once: in total (over it: 503), from one client address and for one
	// signed-in user (over them: 429).
	MaxConns          int
	MaxConnsPerClient int
	MaxConnsPerUser   int
	// TrustedProxies are the IP addresses ("192.0.2.7") and CIDR networks
	// ("10.0.0.0/8") of the reverse proxies in front of the Server. A request
	// from one of them is counted and logged under the client address of its
	// X-Forwarded-For header: walking from the right, the first address that
	// is not itself a trusted proxy. A header that is not a list of IP
	// addresses is ignored. Empty: the client is always the peer of the
	// connection, and X-Forwarded-For is never read.
	TrustedProxies []string
	// Logger gets one line for every refused request, within
	// MaxRefusalLogs: why, never a token, a cookie or a payload. It also
	// gets the audit lines (message "audit"): each sign-in, sign-out and
	// publish, with who (the user, or "token"), and for a publish its
	// topics, types and count, never its data. Nil discards.
	Logger *slog.Logger
	// MaxRefusalLogs bounds the log lines of refused requests per second;
	// the refusals over it are summed up in one line per second, "more
	// refusals not logged", so that a flood of bad requests cannot flood
	// the log. They are all counted in Stats.
	MaxRefusalLogs int

	// Broker stores the events and delivers them to this Server and to any
	// other that shares it, such as a natsbroker.Broker. Nil is an
	// in-memory broker of this Server's own. The Server starts the broker's
	// deliveries in New and closes it in Drain.
	Broker engine.Broker
}

// The defaults of Config.
const (
	DefaultRetry           = 3 * time.Second
	DefaultHeartbeat       = 15 * time.Second
	DefaultWriteTimeout    = 10 * time.Second
	DefaultQueueEvents     = 1024
	DefaultQueueBytes      = 1 << 20
	DefaultHistoryEvents   = 100_000
	DefaultHistoryBytes    = 64 << 20
	DefaultHistoryAge      = time.Hour
	DefaultMaxPublishBytes = 1 << 20
	DefaultMaxTopics       = 16
	DefaultMaxRefusalLogs  = 20
)

// The defaults of the rate limits: a person publishes a few events a second
// at most, a service many; a person signs in now and then.
const (
	DefaultUserPublishRate   = 20
	DefaultUserPublishBurst  = 200
	DefaultTokenPublishRate  = 10_000
	DefaultTokenPublishBurst = 100_000
	DefaultSignInRate        = 1
	DefaultSignInBurst       = 20
)

// The defaults of the connection limits: enough for a small server, and no
// single address or user can take it all.
const (
	DefaultMaxConns          = 10_000
	DefaultMaxConnsPerClient = 100
	DefaultMaxConnsPerUser   = 20
)

// withDefaults returns c with every zero setting replaced by its default, or an
// error naming the first setting that is out of range.
func (c Config) withDefaults() (Config, error) {
	if c.Schema == nil {
		return c, errors.New("server config: Schema is required")
	}
	durations := []struct {
		name string
		v    *time.Duration
		def  time.Duration
	}{
		{"Retry", &c.Retry, DefaultRetry},
		{"Heartbeat", &c.Heartbeat, DefaultHeartbeat},
		{"WriteTimeout", &c.WriteTimeout, DefaultWriteTimeout},
		{"HistoryAge", &c.HistoryAge, DefaultHistoryAge},
		{"MaxLifetime", &c.MaxLifetime, 0},
	}
	for _, d := range durations {
		if *d.v < 0 {
			return c, fmt.Errorf("server config: %s is negative: %v", d.name, *d.v)
		}
		if *d.v == 0 {
			*d.v = d.def
		}
	}
	ints := []struct {
		name string
		v    *int
		def  int
	}{
		{"QueueEvents", &c.QueueEvents, DefaultQueueEvents},
		{"QueueBytes", &c.QueueBytes, DefaultQueueBytes},
		{"HistoryEvents", &c.HistoryEvents, DefaultHistoryEvents},
		{"HistoryBytes", &c.HistoryBytes, DefaultHistoryBytes},
		{"MaxTopics", &c.MaxTopics, DefaultMaxTopics},
		{"UserPublishBurst", &c.UserPublishBurst, DefaultUserPublishBurst},
		{"TokenPublishBurst", &c.TokenPublishBurst, DefaultTokenPublishBurst},
		{"SignInBurst", &c.SignInBurst, DefaultSignInBurst},
		{"MaxRefusalLogs", &c.MaxRefusalLogs, DefaultMaxRefusalLogs},
	}
	for _, n := range ints {
		if *n.v < 0 {
			return c, fmt.Errorf("server config: %s is negative: %d", n.name, *n.v)
		}
		if *n.v == 0 {
			*n.v = n.def
		}
	}
	if c.MaxPublishBytes < 0 {
		return c, fmt.Errorf("server config: MaxPublishBytes is negative: %d", c.MaxPublishBytes)
	}
	if c.MaxPublishBytes == 0 {
		c.MaxPublishBytes = DefaultMaxPublishBytes
	}
	if err := c.rateDefaults(); err != nil {
		return c, err
	}
	return c, c.limitDefaults()
}

// rateDefaults fills in the zero rates of c, or reports the first that is
// negative.
func (c *Config) rateDefaults() error {
	rates := []struct {
		name string
		v    *float64
		def  float64
	}{
		{"UserPublishRate", &c.UserPublishRate, DefaultUserPublishRate},
		{"TokenPublishRate", &c.TokenPublishRate, DefaultTokenPublishRate},
		{"SignInRate", &c.SignInRate, DefaultSignInRate},
	}
	for _, r := range rates {
		if *r.v < 0 {
			return fmt.Errorf("server config: %s is negative: %g", r.name, *r.v)
		}
		if *r.v == 0 {
			*r.v = r.def
		}
	}
	return nil
}

// limitDefaults fills in the zero connection limits of c, or reports the
// first that is negative.
func (c *Config) limitDefaults() error {
	limits := []struct {
		name string
		v    *int
		def  int
	}{
		{"MaxConns", &c.MaxConns, DefaultMaxConns},
		{"MaxConnsPerClient", &c.MaxConnsPerClient, DefaultMaxConnsPerClient},
		{"MaxConnsPerUser", &c.MaxConnsPerUser, DefaultMaxConnsPerUser},
	}
	for _, l := range limits {
		if *l.v < 0 {
			return fmt.Errorf("server config: %s is negative: %d", l.name, *l.v)
		}
		if *l.v == 0 {
			*l.v = l.def
		}
	}
	return nil
}
