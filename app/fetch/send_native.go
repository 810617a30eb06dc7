//go:build !(js && wasm)

package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// send sends the request with net/http's default client and reads the
// answer, up to one byte over MaxAnswer. body is sent as JSON unless nil.
func send(ctx context.Context, method, rawURL string, body []byte) (answer, error) {
	req, err := newRequest(ctx, method, rawURL, body)
	if err != nil {
		return answer{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // JSON's error names the method and the URL already
		}
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswer+1))
	if err != nil {
		return answer{}, fmt.Errorf("read the answer (status %d): %w", resp.StatusCode, err)
	}
	return answer{
		status:      resp.StatusCode,
		statusText:  http.StatusText(resp.StatusCode),
		contentType: resp.Header.Get("Content-Type"),
		body:        b,
	}, nil
}

// newRequest returns the request to rawURL, which must be absolute, that
// accepts JSON and sends body, unless nil, as JSON.
func newRequest(ctx context.Context, method, rawURL string, body []byte) (*http.Request, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	if !u.IsAbs() || u.Host == "" {
		return nil, errors.New("the URL is relative: outside the browser it must be absolute, such as http://127.0.0.1:8000/session")
	}
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, r)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}
