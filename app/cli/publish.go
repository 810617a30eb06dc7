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
	// stdin is set by the argument "-": the events come from standard input.
	stdin bool
	// flushAfter is how long a line read from standard input may wait for
	// more before they are sent.
	flushAfter time.Duration
}

const publishUsage = `--topic NAME --type TYPE --data JSON [--url URL] [--token TOKEN]
       herald publish - [--url URL] [--token TOKEN] < events.jsonl

With -, publish reads events from standard input, one JSON object per line in
the shape POST /publish takes, {"topic": "…", "type": "…", "data": {…}}, and
skips blank lines. It sends them in arrays of up to 1,000 events (and 1 MiB),
or as soon as the first unsent line has waited --flush-after, and prints the
id of each event once the server has stored it. A line that is not a valid
event, or a refusal of the server, stops it with an error naming the line,
after the lines before it were published. A 503 with Retry-After is retried,
with the same Idempotency-Key, up to 5 times. An interrupt stops it once what
was read is published.`

// tokenEnv is the environment variable publish reads the token from when
// --token is not given: the server's own.
const tokenEnv = "HERALD_PUBLISH_TOKEN"

// Publish runs "herald publish": it sends one event to the server's POST
// /publish with the bearer token of --token or HERALD_PUBLISH_TOKEN, and
// prints the id the server gave it. If the server refuses the event, Publish
// prints the server's error and returns 1. With the argument "-" it publishes
// the events of stdin instead, one JSON object per line (see publishStream).
func Publish(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, code, ok := parsePublish(args, stderr)
	if !ok {
		return code
	}
	if cfg.stdin {
		if err := publishStream(ctx, cfg, stdin, stdout); err != nil {
			fmt.Fprintln(stderr, "publish:", err)
			return exitError
		}
		return exitOK
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
	fs.StringVar(&cfg.topic, "topic", "", "the topic to publish to (required without -)")
	fs.StringVar(&cfg.typ, "type", "", "the event type, such as notification (required without -)")
	data := fs.String("data", "", `the event's data, in JSON (required without -), such as '{"user":"a","message":"b"}'`)
	fs.StringVar(&cfg.url, "url", "http://127.0.0.1:8000", "the server, to which /publish is added, or the full publish URL")
	fs.StringVar(&cfg.token, "token", "", "the publish token; the default is $"+tokenEnv)
	fs.DurationVar(&cfg.timeout, "timeout", 30*time.Second, "how long to wait for the server, for each request")
	fs.DurationVar(&cfg.flushAfter, "flush-after", 100*time.Millisecond, "with -, how long a line read may wait for more before they are sent")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return cfg, parseFailed(err), false
	}
	cfg.stdin = len(pos) > 0 && pos[0] == "-"
	if err := checkPublish(cfg, *data, pos); err != nil {
		return cfg, usageError(fs, stderr, "%v", err), false
	}
	if !cfg.stdin {
		cfg.data = json.RawMessage(*data)
	}
	if cfg.url, err = publishURL(cfg.url); err != nil {
		return cfg, usageError(fs, stderr, "%v", err), false
	}
	if cfg.token == "" {
		cfg.token = os.Getenv(tokenEnv)
	}
	return cfg, exitOK, true
}

// checkPublish says what is wrong with the flags of publish, data being
// --data's and pos the arguments that are not flags.
func checkPublish(cfg publishConfig, data string, pos []string) error {
	if cfg.stdin {
		pos = pos[1:]
	}
	switch {
	case len(pos) > 0:
		return fmt.Errorf("unexpected argument %q", pos[0])
	case cfg.timeout <= 0:
		return fmt.Errorf("--timeout %v is not positive", cfg.timeout)
	case !cfg.stdin && (cfg.topic == "" || cfg.typ == "" || data == ""):
		return errors.New("--topic, --type and --data are required")
	case !cfg.stdin && !json.Valid([]byte(data)):
		return fmt.Errorf("--data %q is not valid JSON", data)
	case cfg.stdin && (cfg.topic != "" || cfg.typ != "" || data != ""):
		return errors.New("- reads whole events from standard input: --topic, --type and --data go in each line")
	case cfg.stdin && cfg.flushAfter <= 0:
		return fmt.Errorf("--flush-after %v is not positive", cfg.flushAfter)
	}
	return nil
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
