package load

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
)

// fakeServer is a small fan-out server for the tests: GET /events streams
// every event published, POST /publish takes one probe or an array. copies
// says how many times each stream gets the event numbered s (default 1), so
// that a test can drop or repeat events; gzip answers Accept-Encoding: gzip
// with a gzip stream flushed after each event.
type fakeServer struct {
	copies func(s int64) int
	gzip   bool

	mu    sync.Mutex
	subs  []chan string
	hosts map[string]int // streams by the client's address
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/events":
		f.stream(w, r)
	case r.Method == http.MethodPost && r.URL.Path == "/publish":
		f.publish(w, r)
	default:
		http.NotFound(w, r)
	}
}

// flushWriter writes to w and flushes it, through gzip when z is not nil.
type flushWriter struct {
	w http.ResponseWriter
	z *gzip.Writer
}

func (f flushWriter) write(s string) error {
	var err error
	if f.z != nil {
		_, err = io.WriteString(f.z, s)
		if err == nil {
			err = f.z.Flush() // a sync flush: the client can decode all so far
		}
	} else {
		_, err = io.WriteString(f.w, s)
	}
	f.w.(http.Flusher).Flush()
	return err
}

func (f *fakeServer) stream(w http.ResponseWriter, r *http.Request) {
	ch := make(chan string, 1<<16)
	out := flushWriter{w: w}
	w.Header().Set("Content-Type", "text/event-stream")
	if f.gzip && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		out.z = gzip.NewWriter(w)
	}
	f.mu.Lock()
	f.subs = append(f.subs, ch)
	if f.hosts == nil {
		f.hosts = map[string]int{}
	}
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	f.hosts[host]++
	f.mu.Unlock()
	w.WriteHeader(http.StatusOK)
	w.(http.Flusher).Flush()
	if out.write(": hello\n\n") != nil {
		return
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case frame := <-ch:
			if out.write(frame) != nil {
				return
			}
		}
	}
}

func (f *fakeServer) publish(w http.ResponseWriter, r *http.Request) {
	type probe struct {
		Data json.RawMessage `json:"data"`
	}
	body, _ := io.ReadAll(r.Body)
	var probes []probe
	if err := json.Unmarshal(body, &probes); err != nil {
		probes = make([]probe, 1)
		if err := json.Unmarshal(body, &probes[0]); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range probes {
		_, s, _ := probeFields(string(p.Data))
		n := 1
		if f.copies != nil {
			n = f.copies(s)
		}
		frame := fmt.Sprintf("id: %d\nevent: probe\ndata: %s\n\n", s, p.Data)
		for _, ch := range f.subs {
			for range n {
				ch <- frame
			}
		}
	}
	fmt.Fprintln(w, `{"ids":[]}`)
}
