//go:build !(js && wasm)

package eventsource

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"

	"github.com/heraldhq/herald/shared"
)

// maxStateAnswer bounds the body of a GET /state answer that FetchState
// reads: a Herald server bounds the frames of its events to 1 MiB
// (server.MaxStateBytes), and this leaves room for the JSON that quotes them.
const maxStateAnswer = 4 << 20

// FetchState returns the state that fold makes of the events of the stream
// at streamURL (a Herald server's /events?topic=…) that the server's
// history holds, and the id they end at: resume the stream from that id, and
// every later event comes once, none lost:
//
//	state, id, err := eventsource.FetchState(ctx, url, fold)
//	src, err := eventsource.New(url, eventsource.WithLastEventID(id))
//
// It asks GET /state, beside /events, for the same topics, with the
// requests of a Source made with opts (WithHTTPClient, WithHeader,
// WithCookieJar, WithCredentials; WithReadTimeout bounds the whole request):
// the server answers only what it would stream. The server's history is
// bounded: the state is a fold of its newest events (see shared.History's
// Since).
func FetchState[S any](ctx context.Context, streamURL string, fold *shared.Fold[S], opts ...Option) (state S, id string, err error) {
	h, err := FetchHistory(ctx, streamURL, opts...)
	if err != nil {
		return state, "", err
	}
	if state, id, err = shared.FoldHistory(fold, h); err != nil {
		return state, "", fmt.Errorf("eventsource: fold the state of %s: %w", streamURL, err)
	}
	return state, id, nil
}

// FetchHistory returns the history that FetchState folds: the events of the
// stream at streamURL that the server holds, and the id they end at.
func FetchHistory(ctx context.Context, streamURL string, opts ...Option) (shared.History, error) {
	var h shared.History
	stateURL, err := StateURL(streamURL)
	if err != nil {
		return h, err
	}
	o := newOptions(opts)
	if o.readTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.readTimeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, stateURL, nil)
	if err != nil {
		return h, fmt.Errorf("eventsource: GET %s: %w", stateURL, err)
	}
	for k, v := range o.request.header {
		req.Header[k] = slices.Clone(v)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := (&Source{opts: o}).httpClient().Do(req)
	if err != nil {
		return h, fmt.Errorf("eventsource: GET %s: %w", stateURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return h, &ResponseError{URL: stateURL, StatusCode: resp.StatusCode, Status: resp.Status,
			ContentType: resp.Header.Get("Content-Type"), Message: serverMessage(resp.Body)}
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxStateAnswer)).Decode(&h); err != nil {
		return h, fmt.Errorf("eventsource: read the state of %s: %w", stateURL, err)
	}
	return h, nil
}

// StateURL returns the URL of the state of the stream at streamURL: the same
// query at "state" beside its last path segment, as a Herald server mounts
// GET /state beside GET /events. A lastEventId in the query is dropped.
func StateURL(streamURL string) (string, error) {
	u, err := url.Parse(streamURL)
	if err != nil {
		return "", fmt.Errorf("eventsource: the state of stream %q: %w", streamURL, err)
	}
	u.Path = path.Join(path.Dir(u.Path), "state")
	u.RawPath = ""
	q := u.Query()
	q.Del("lastEventId")
	u.RawQuery = q.Encode()
	return u.String(), nil
}
