package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pgedge/pgedge"
	"github.com/pgedge/pgedge/server"
	"github.com/urfave/cli/v2"
)

const benchServeDescription = `Measures pgedge serve as its clients see it: at each --clients level, that many clients
send POST /v1/run requests (a caption of --image, --gen-tokens tokens, streamed) back to back
until --requests-per-client each are answered, after one warm-up request. Reported per level:
requests/s, time to first token (TTFT: from sending the request to the first streamed text)
p50 and p95, and generated tokens/s over the level's wall time.

With --model the server runs in this process on a loopback port with --parallel equal to the
largest --clients level (every client has a slot; their compute steps share --threads).
With --url an already running server is measured (--api-key if it needs one).`

func benchServeCommand() *cli.Command {
	return &cli.Command{
		Name:        "bench-serve",
		Usage:       "measure pgedge serve: requests/s, time to first token and tokens/s at several client counts",
		UsageText:   "pgedge bench-serve (--model FILE | --url URL) [--clients 1,2,4,8] [--requests-per-client 2] [--gen-tokens 16] [--json]",
		Description: benchServeDescription,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Aliases: []string{"m"}, EnvVars: env("MODEL"), Usage: "serve this model in-process and measure it"},
			&cli.StringFlag{Name: "url", Usage: "measure the server at this URL instead (e.g. http://127.0.0.1:8080)"},
			&cli.StringFlag{Name: "api-key", EnvVars: env("API_KEY"), Usage: "with --url: the server's API key"},
			&cli.StringFlag{Name: "clients", Value: "1,2,4,8", Usage: "concurrent client counts, comma-separated"},
			&cli.IntFlag{Name: "requests-per-client", Value: 2, Usage: "timed requests each client sends at each level"},
			&cli.IntFlag{Name: "gen-tokens", Value: 16, Usage: "max_tokens of each request"},
			&cli.StringFlag{Name: "image", Usage: "image to caption (default: a 224×224 synthetic pattern)"},
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object per level"},
			threadsFlag(),
			loadFlag(),
		},
		Action: func(c *cli.Context) error {
			clients, err := parseCounts(c.String("clients"))
			if err != nil {
				return fmt.Errorf("--clients: %w", err)
			}
			if (c.String("model") == "") == (c.String("url") == "") {
				return fmt.Errorf("give --model FILE or --url URL (see pgedge bench-serve --help)")
			}
			if c.Int("requests-per-client") < 1 || c.Int("gen-tokens") < 1 {
				return fmt.Errorf("--requests-per-client and --gen-tokens must be at least 1")
			}
			img, err := benchImage(c.String("image"))
			if err != nil {
				return err
			}
			url, key := strings.TrimRight(c.String("url"), "/"), c.String("api-key")
			if url == "" {
				load, err := loadMode(c)
				if err != nil {
					return err
				}
				m, err := pgedge.Open(c.String("model"), pgedge.WithThreads(c.Int("threads")), pgedge.WithLoad(load))
				if err != nil {
					return err
				}
				defer m.Close()
				s := server.New(server.Config{Parallel: slices.Max(clients), Queue: 4 * slices.Max(clients),
					Logger: discardLogger()})
				s.SetModel(m)
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					return err
				}
				ctx, stop := context.WithCancel(context.Background())
				done := make(chan error, 1)
				go func() { done <- s.Serve(ctx, ln) }()
				defer func() {
					stop()
					<-done
				}()
				url = "http://" + ln.Addr().String()
				inf := m.Info()
				fmt.Fprintf(c.App.ErrWriter, "serving %s (%s, %s, %d threads) on %s\n", inf.Path, inf.Preset, inf.Weights, inf.Threads, url)
			}
			body := marshalRun(img, c.Int("gen-tokens"))
			if _, err := serveRequest(url, key, body); err != nil { // warm-up
				return fmt.Errorf("warm-up request: %w", err)
			}
			if !c.Bool("json") {
				fmt.Fprintf(c.App.Writer, "| clients | requests | requests/s | TTFT p50 ms | TTFT p95 ms | tokens/s |\n|---|---|---|---|---|---|\n")
			}
			for _, n := range clients {
				lv, err := benchLevel(url, key, body, n, c.Int("requests-per-client"))
				if err != nil {
					return err
				}
				if c.Bool("json") {
					b, _ := json.Marshal(lv)
					fmt.Fprintln(c.App.Writer, string(b))
				} else {
					fmt.Fprintf(c.App.Writer, "| %d | %d | %.3f | %.0f | %.0f | %.2f |\n", lv.Clients, lv.Requests, lv.RequestsPerS, lv.TTFTP50MS, lv.TTFTP95MS, lv.TokensPerS)
				}
			}
			return nil
		},
	}
}

// parseCounts parses "1,2,4" into positive integers.
func parseCounts(s string) ([]int, error) {
	var out []int
	for _, f := range splitList(s) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive count", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no counts given")
	}
	return out, nil
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// serveLevel is one --clients level's figures.
type serveLevel struct {
	Clients      int     `json:"clients"`
	Requests     int     `json:"requests"`
	WallS        float64 `json:"wall_s"`
	RequestsPerS float64 `json:"requests_per_s"`
	TTFTP50MS    float64 `json:"ttft_p50_ms"`
	TTFTP95MS    float64 `json:"ttft_p95_ms"`
	Tokens       int     `json:"generated_tokens"`
	TokensPerS   float64 `json:"tokens_per_s"`
}

func benchLevel(url, key string, body []byte, clients, perClient int) (*serveLevel, error) {
	var mu sync.Mutex
	var ttfts []float64
	tokens := 0
	var firstErr error
	var wg sync.WaitGroup
	t0 := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range perClient {
				r, err := serveRequest(url, key, body)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if err == nil {
					ttfts = append(ttfts, float64(r.ttft.Microseconds())/1000)
					tokens += r.tokens
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	wall := time.Since(t0).Seconds()
	if firstErr != nil {
		return nil, firstErr
	}
	slices.Sort(ttfts)
	return &serveLevel{Clients: clients, Requests: len(ttfts), WallS: wall, RequestsPerS: float64(len(ttfts)) / wall,
		TTFTP50MS: percentile(ttfts, 0.50), TTFTP95MS: percentile(ttfts, 0.95), Tokens: tokens, TokensPerS: float64(tokens) / wall}, nil
}

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

type serveReply struct {
	ttft   time.Duration
	tokens int
}

// serveRequest sends one streamed /v1/run request and times its first text.
func serveRequest(url, key string, body []byte) (*serveReply, error) {
	req, err := http.NewRequest(http.MethodPost, url+"/v1/run", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	t0 := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return nil, fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(b)))
	}
	r := &serveReply{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<16), 64<<20)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
			if event == "text" && r.ttft == 0 {
				r.ttft = time.Since(t0)
			}
		case strings.HasPrefix(line, "data: ") && event == "result":
			var res pgedge.Result
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &res); err != nil {
				return nil, err
			}
			r.tokens = len(res.Tokens)
			if r.ttft == 0 {
				r.ttft = time.Since(t0)
			}
			return r, nil
		case strings.HasPrefix(line, "data: ") && event == "error":
			return nil, fmt.Errorf("the server: %s", strings.TrimPrefix(line, "data: "))
		}
	}
	return nil, fmt.Errorf("the stream ended without a result: %v", sc.Err())
}

func marshalRun(img []byte, maxTokens int) []byte {
	b, _ := json.Marshal(map[string]any{"task": "caption", "max_tokens": maxTokens, "stream": true,
		"image": base64.StdEncoding.EncodeToString(img)})
	return b
}

// benchImage is the image file's bytes, or a 224×224 PNG pattern.
func benchImage(path string) ([]byte, error) {
	if path != "" {
		return os.ReadFile(path)
	}
	im := image.NewRGBA(image.Rect(0, 0, 224, 224))
	for y := range 224 {
		for x := range 224 {
			im.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8((x ^ y) & 255), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, im); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
