//go:build !(js && wasm)

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// A batch the server answers 503 with Retry-After is sent again, with the
// same Idempotency-Key, up to maxRetries times, waiting what the server asks
// but no more than maxRetryWait each time.
const (
	maxRetries   = 5
	maxRetryWait = 30 * time.Second
)

// refusal is an answer of the server other than 200 OK.
type refusal struct {
	url    string
	status string
	code   int
	msg    string        // the server's error, or the start of its body
	retry  time.Duration // its Retry-After; 0 without one
}

// Error says what the server answered.
func (r *refusal) Error() string {
	return fmt.Sprintf("POST %s: the server answered %s: %s", r.url, r.status, r.msg)
}

// badEvent matches the server's message for one bad event of a batch, which
// starts with the event's index.
var badEvent = regexp.MustCompile(`^event (\d+): `)

// send publishes events, read from lines, as one batch and prints their ids.
// When the server refuses one of the events, it publishes those before it
// and returns an error naming its line.
func (s *stream) send(ctx context.Context, lines []int, events [][]byte) error {
	ids, err := s.post(ctx, events)
	var r *refusal
	if errors.As(err, &r) && r.code == http.StatusBadRequest {
		if m := badEvent.FindStringSubmatch(r.msg); m != nil {
			if i, _ := strconv.Atoi(m[1]); i < len(events) {
				return s.refused(ctx, lines, events, i, r)
			}
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", lineRange(lines), err)
	}
	var out bytes.Buffer
	for _, id := range ids {
		out.WriteString(id + "\n")
	}
	_, _ = s.out.Write(out.Bytes()) // like fmt.Println, publish goes on if no one reads
	return nil
}

// refused publishes the events before the i-th, which r refused, and returns
// an error naming the i-th's line.
func (s *stream) refused(ctx context.Context, lines []int, events [][]byte, i int, r *refusal) error {
	if i > 0 {
		if err := s.send(ctx, lines[:i], events[:i]); err != nil {
			return err
		}
	}
	msg := strings.TrimPrefix(r.msg, badEvent.FindString(r.msg))
	return fmt.Errorf("line %d: POST %s: the server answered %s: %s", lines[i], r.url, r.status, msg)
}

// lineRange names the lines of a batch.
func lineRange(lines []int) string {
	if len(lines) == 1 {
		return fmt.Sprintf("line %d", lines[0])
	}
	return fmt.Sprintf("lines %d to %d", lines[0], lines[len(lines)-1])
}

// post sends events as a JSON array under a key of their own, retrying a 503
// with Retry-After, and returns their ids.
func (s *stream) post(ctx context.Context, events [][]byte) ([]string, error) {
	s.sent++
	key := fmt.Sprintf("%s-%d", s.keys, s.sent)
	body := append(append([]byte("["), bytes.Join(events, []byte(","))...), ']')
	for attempt := 0; ; attempt++ {
		ids, err := s.postOnce(ctx, body, key, len(events))
		var r *refusal
		if !errors.As(err, &r) || r.code != http.StatusServiceUnavailable || r.retry == 0 {
			return ids, err
		}
		if attempt == maxRetries {
			return nil, fmt.Errorf("%w (sent %d times)", err, attempt+1)
		}
		select {
		case <-time.After(min(r.retry, maxRetryWait)):
		case <-ctx.Done():
			return nil, fmt.Errorf("%w; interrupted before trying again", err)
		}
	}
}

// postOnce sends body, a JSON array of n events, and returns their ids. The
// request is not cancelled with ctx: a batch in flight is finished.
func (s *stream) postOnce(ctx context.Context, body []byte, key string, n int) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("POST %s: %w", s.cfg.url, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	if s.cfg.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.cfg.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return readIDs(resp, n)
}

// readIDs returns the n ids of a successful answer {"ids": [...]}, or a
// *refusal with the server's message {"error": "..."}.
func readIDs(resp *http.Response, n int) ([]string, error) {
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+int64(n)*maxIDBytes))
	if err != nil {
		return nil, fmt.Errorf("POST %s: read the answer: %w", resp.Request.URL, err)
	}
	var answer struct {
		IDs   []string `json:"ids"`
		Error string   `json:"error"`
	}
	decodeErr := json.Unmarshal(b, &answer)
	if resp.StatusCode != http.StatusOK {
		r := &refusal{url: resp.Request.URL.String(), status: resp.Status, code: resp.StatusCode, msg: answer.Error}
		if r.msg == "" {
			r.msg = strconv.Quote(snippet(b))
		}
		r.retry = retryAfter(resp.Header.Get("Retry-After"))
		return nil, r
	}
	if decodeErr != nil || len(answer.IDs) != n {
		return nil, fmt.Errorf("POST %s: the server answered %s without the %d ids: %q", resp.Request.URL, resp.Status, n, snippet(b))
	}
	return answer.IDs, nil
}

// maxIDBytes bounds the room an id takes in an answer, quotes and comma
// included.
const maxIDBytes = 256

// retryAfter reads a Retry-After header, seconds or a date: 0 if there is
// none or it is not valid.
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return max(time.Duration(secs)*time.Second, time.Millisecond)
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), time.Millisecond)
	}
	return 0
}
