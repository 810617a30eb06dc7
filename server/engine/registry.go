package engine

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
)

// OpenFunc opens the broker that a URL names. It gets the whole URL given
// to OpenBroker, which may list several servers separated by commas, and
// the logger for what the broker has to say, such as a lost connection.
type OpenFunc func(ctx context.Context, url string, log *slog.Logger) (Broker, error)

// brokers are the registered OpenFuncs, by URL scheme.
var brokers = struct {
	sync.RWMutex
	open map[string]OpenFunc
}{open: map[string]OpenFunc{"memory": openMemory}}

// MemoryURL is the URL of the in-memory broker.
const MemoryURL = "memory:"

func openMemory(context.Context, string, *slog.Logger) (Broker, error) { return NewMemoryBroker(), nil }

// RegisterBroker makes OpenBroker open the URLs of scheme with open. A
// broker's package registers its schemes in its init function, so that a
// program picks brokers by importing their packages. It panics when scheme
// is registered already or open is nil, as database/sql.Register does.
func RegisterBroker(scheme string, open OpenFunc) {
	brokers.Lock()
	defer brokers.Unlock()
	if open == nil {
		panic("engine: RegisterBroker of scheme " + scheme + " with a nil OpenFunc")
	}
	if _, dup := brokers.open[scheme]; dup {
		panic("engine: RegisterBroker of scheme " + scheme + " twice")
	}
	brokers.open[scheme] = open
}

// OpenBroker opens the broker that url names, by its scheme: "memory:" (or
// an empty url) for the in-memory broker, and the schemes that broker
// packages registered, such as "nats://127.0.0.1:4222" once
// server/natsbroker is imported. A nil log discards.
func OpenBroker(ctx context.Context, url string, log *slog.Logger) (Broker, error) {
	if url == "" {
		url = MemoryURL
	}
	scheme, _, ok := strings.Cut(url, ":")
	if !ok {
		return nil, fmt.Errorf("broker URL %.100q has no scheme: want one of %s", url, strings.Join(BrokerSchemes(), ", "))
	}
	brokers.RLock()
	open := brokers.open[strings.ToLower(scheme)]
	brokers.RUnlock()
	if open == nil {
		return nil, fmt.Errorf("broker URL %.100q: no broker is registered for %q: want one of %s (a broker's package registers its schemes when imported)", url, scheme, strings.Join(BrokerSchemes(), ", "))
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return open(ctx, url, log)
}

// BrokerSchemes returns the URL schemes of the registered brokers, sorted.
func BrokerSchemes() []string {
	brokers.RLock()
	defer brokers.RUnlock()
	var out []string
	for s := range brokers.open {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}
