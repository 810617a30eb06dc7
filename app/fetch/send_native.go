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
	u, err := url.Parse(rawURL)
	if err != nil {
		return answer{}, err
	}
	if !u.IsAbs() || u.Host == "" {
		return answer{}, errors.New("the URL is relative: outside the browser it must be absolute, such as http://127.0.0.1:8000/session")
	}
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, r)
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		return answer{}, ue.Err // JSON's error names the method and URL
	} else if err != nil {
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
