//go:build !(js && wasm)

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// publishConfig is what the flags of publish say.
type publishConfig struct {
	url, topic, typ, token string
	data                   json.RawMessage
	timeout                time.Duration
}

const publishUsage = `--topic NAME --type TYPE --data JSON [--url URL] [--token TOKEN]`

// tokenEnv is the environment variable publish reads the token from when
// --token is not given: the server's own.
const tokenEnv = "HERALD_PUBLISH_TOKEN"

// Publish runs "herald publish": it sends one event to the server's POST
// /publish with the bearer token of --token or HERALD_PUBLISH_TOKEN, and
// prints the id the server gave it. If the server refuses the event, Publish
// prints the server's error and returns 1.
func Publish(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, code, ok := parsePublish(args, stderr)
	if !ok {
		return code
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	id, err := publish(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "publish:", err)
		return exitError
	}
	fmt.Fprintln(stdout, id)
	return exitOK
}

// parsePublish reads the arguments of publish. It returns the exit code when
// it cannot go on.
func parsePublish(args []string, stderr io.Writer) (cfg publishConfig, code int, ok bool) {
	fs := newFlagSet("publish", publishUsage, stderr)
	fs.StringVar(&cfg.topic, "topic", "", "the topic to publish to (required)")
	fs.StringVar(&cfg.typ, "type", "", "the event type, such as notification (required)")
	data := fs.String("data", "", `the event's data, in JSON (required), such as '{"user":"a","message":"b"}'`)
	fs.StringVar(&cfg.url, "url", "http://127.0.0.1:8000", "the server, to which /publish is added, or the full publish URL")
	fs.StringVar(&cfg.token, "token", "", "the publish token; the default is $"+tokenEnv)
	fs.DurationVar(&cfg.timeout, "timeout", 30*time.Second, "how long to wait for the server")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return cfg, parseFailed(err), false
	}
	switch {
	case len(pos) > 0:
		return cfg, usageError(fs, stderr, "unexpected argument %q", pos[0]), false
	case cfg.topic == "" || cfg.typ == "" || *data == "":
		return cfg, usageError(fs, stderr, "--topic, --type and --data are required"), false
	case !json.Valid([]byte(*data)):
		return cfg, usageError(fs, stderr, "--data %q is not valid JSON", *data), false
	}
	cfg.data = json.RawMessage(*data)
	if cfg.url, err = publishURL(cfg.url); err != nil {
		return cfg, usageError(fs, stderr, "%v", err), false
	}
	if cfg.token == "" {
		cfg.token = os.Getenv(tokenEnv)
	}
	return cfg, exitOK, true
}

// publishURL returns the publish URL of the server at raw: raw itself if its
// path ends in /publish, or raw with /publish added.
func publishURL(raw string) (string, error) {
	u, err := url.Parse(withScheme(raw))
	if err != nil {
		return "", fmt.Errorf("--url %q: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("--url %q is not an http or https URL", raw)
	}
	if !strings.HasSuffix(u.Path, "/publish") {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/publish"
	}
	return u.String(), nil
}

// publish posts the event and returns its id.
func publish(ctx context.Context, cfg publishConfig) (string, error) {
	body, err := json.Marshal(struct {
		Topic string          `json:"topic"`
		Type  string          `json:"type"`
		Data  json.RawMessage `json:"data"`
	}{cfg.topic, cfg.typ, cfg.data})
	if err != nil {
		return "", fmt.Errorf("encode the event: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.url, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("POST %s: %w", cfg.url, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if cfg.token != "" {
		req.Header.Set("Authorization", "Bearer "+cfg.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	return readAnswer(resp)
}

// maxAnswer is the most of the server's answer that publish reads.
const maxAnswer = 64 << 10

// readAnswer returns the id of a successful answer {"id": "..."}, or an
// error with the server's message {"error": "..."}.
func readAnswer(resp *http.Response) (string, error) {
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return "", fmt.Errorf("POST %s: read the answer: %w", resp.Request.URL, err)
	}
	var answer struct {
		ID    string `json:"id"`
		Error string `json:"error"`
	}
	decodeErr := json.Unmarshal(b, &answer)
	switch {
	case resp.StatusCode != http.StatusOK && answer.Error != "":
		return "", fmt.Errorf("POST %s: the server answered %s: %s", resp.Request.URL, resp.Status, answer.Error)
	case resp.StatusCode != http.StatusOK:
		return "", fmt.Errorf("POST %s: the server answered %s: %q", resp.Request.URL, resp.Status, snippet(b))
	case decodeErr != nil || answer.ID == "":
		return "", fmt.Errorf("POST %s: the server answered %s without an id: %q", resp.Request.URL, resp.Status, snippet(b))
	}
	return answer.ID, nil
}

// maxSnippet is the most of an unexpected answer that an error quotes.
const maxSnippet = 200

// snippet returns the start of b, trimmed, for an error message.
func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > maxSnippet {
		s = strings.ToValidUTF8(s[:maxSnippet], "") + "…"
	}
	return s
}
