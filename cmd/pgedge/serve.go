package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/pgedge/pgedge"
	"github.com/pgedge/pgedge/server"
	"github.com/urfave/cli/v2"
)

const serveDescription = `Serves one model over HTTP to the clients people already have:

  POST /v1/chat/completions   OpenAI chat completions (stream: true gives Server-Sent Events)
  GET  /v1/models             OpenAI model list
  POST /api/generate, /api/chat, GET /api/tags, /api/ps, /api/version, POST /api/show
                              ollama's API (NDJSON streams by default)
  POST /v1/run                native: task/prompt fields and a base64 or multipart image in,
                              exactly the JSON of pgedge run --json out (SSE with "stream": true)
  GET  /health, /metrics      200 {"status":"ok"} once the model is loaded; Prometheus metrics
  GET  /                      a web page to try the model: drop an image, pick a task, see boxes and masks

PaliGemma has no chat template: the prompt is the text of the last message (which must be the
user's) and the image is the first one in the conversation; system and earlier messages are not
part of the prompt. Sampling is greedy unless a request sets a temperature.

--parallel requests generate at once (each with its own KV cache; their compute steps share the
--threads); up to --queue more wait; beyond that the answer is 503 with Retry-After. A client
that disconnects stops its generation within one token. SIGINT or SIGTERM stops accepting,
lets running requests finish (at most --drain-timeout) and exits 0.`

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:        "serve",
		Usage:       "serve a model over HTTP: OpenAI- and ollama-compatible APIs and a native one",
		UsageText:   "pgedge serve --model M [--addr 127.0.0.1:8080] [--parallel N] [--queue Q] [--api-key KEY] [options]",
		Description: serveDescription,
		Flags: []cli.Flag{
			modelFlag(),
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", EnvVars: env("ADDR"), Usage: "address to listen on (host:port; 0.0.0.0:8080 for every interface)"},
			&cli.IntFlag{Name: "parallel", EnvVars: env("PARALLEL"), DefaultText: "the CPUs, at most as many full-context KV caches as fit in half the free memory",
				Usage: "requests that generate at once"},
			&cli.IntFlag{Name: "queue", Value: server.DefaultQueue, EnvVars: env("QUEUE"), Usage: "requests that may wait for a slot; more get 503 (0: none wait)"},
			&cli.StringFlag{Name: "api-key", EnvVars: env("API_KEY"), Usage: "require Authorization: Bearer KEY on every endpoint but /health and the web page's own files"},
			&cli.IntFlag{Name: "max-tokens-limit", EnvVars: env("MAX_TOKENS_LIMIT"), DefaultText: "the context", Usage: "largest max_tokens a request may ask for"},
			&cli.DurationFlag{Name: "request-timeout", EnvVars: env("REQUEST_TIMEOUT"), Usage: "bound each request, queueing included (e.g. 2m; 0: none)"},
			&cli.Int64Flag{Name: "max-body-bytes", Value: server.DefaultBodyLimit, EnvVars: env("MAX_BODY_BYTES"), Usage: "largest request body (and remote image)"},
			&cli.StringFlag{Name: "cors-origin", EnvVars: env("CORS_ORIGIN"), Usage: "send CORS headers allowing this origin (e.g. https://example.com or *); none without it"},
			&cli.BoolFlag{Name: "allow-remote-images", EnvVars: env("ALLOW_REMOTE_IMAGES"), Usage: "fetch http(s) image URLs named by requests (public addresses only, --max-body-bytes, --remote-image-timeout)"},
			&cli.DurationFlag{Name: "remote-image-timeout", Value: server.DefaultRemoteImageTimeout, EnvVars: env("REMOTE_IMAGE_TIMEOUT"), Usage: "time limit of one remote image fetch"},
			&cli.DurationFlag{Name: "drain-timeout", Value: server.DefaultDrainTimeout, EnvVars: env("DRAIN_TIMEOUT"), Usage: "on SIGINT/SIGTERM, how long running requests may finish"},
			&cli.StringFlag{Name: "model-name", EnvVars: env("MODEL_NAME"), DefaultText: "the model's preset name", Usage: "the model id clients see"},
			&cli.StringFlag{Name: "log-format", Value: "text", EnvVars: env("LOG_FORMAT"), Usage: "request log on stderr: text or json"},
			&cli.StringFlag{Name: "tokenizer", EnvVars: env("TOKENIZER"), Usage: "SentencePiece tokenizer.model to use instead of the model's own"},
			&cli.StringFlag{Name: "vqvae", EnvVars: env("VQVAE"), Usage: "segmentation VQ-VAE (vae-oid.npz) for masks, instead of the model's own"},
			threadsFlag(),
			loadFlag(),
		},
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return fmt.Errorf("%v (see pgedge serve --help)", err)
		},
		Action: func(c *cli.Context) error {
			ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
			defer stop()
			return serve(ctx, c, nil)
		},
	}
}

// serve runs the server until ctx ends; ready, when set, receives the listening
// address (tests).
func serve(ctx context.Context, c *cli.Context, ready func(addr string)) error {
	var h slog.Handler
	switch c.String("log-format") {
	case "text":
		h = slog.NewTextHandler(c.App.ErrWriter, nil)
	case "json":
		h = slog.NewJSONHandler(c.App.ErrWriter, nil)
	default:
		return fmt.Errorf("--log-format must be text or json, got %q", c.String("log-format"))
	}
	log := slog.New(h)
	for _, f := range []string{"parallel", "queue", "max-tokens-limit"} {
		if c.Int(f) < 0 {
			return fmt.Errorf("--%s must not be negative, got %d", f, c.Int(f))
		}
	}
	queue := c.Int("queue")
	if queue == 0 {
		queue = -1 // server.Config: negative is "no queue", 0 the default
	}
	s := server.New(server.Config{
		Parallel: c.Int("parallel"), Queue: queue, MaxTokensLimit: c.Int("max-tokens-limit"),
		RequestTimeout: c.Duration("request-timeout"), BodyLimit: c.Int64("max-body-bytes"),
		APIKey: c.String("api-key"), CORSOrigin: c.String("cors-origin"),
		AllowRemoteImages: c.Bool("allow-remote-images"), RemoteImageTimeout: c.Duration("remote-image-timeout"),
		DrainTimeout: c.Duration("drain-timeout"), ModelName: c.String("model-name"), Version: version(), Logger: log,
	})
	load, err := loadMode(c)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.String("addr"))
	if err != nil {
		return err
	}
	// Listen first (so /health can say "loading"), then open the model.
	opts := []pgedge.Option{pgedge.WithThreads(c.Int("threads")), pgedge.WithLoad(load)}
	if p := c.String("tokenizer"); p != "" {
		opts = append(opts, pgedge.WithTokenizer(p))
	}
	if p := c.String("vqvae"); p != "" {
		opts = append(opts, pgedge.WithVQVAE(p))
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	m, err := pgedge.Open(c.String("model"), opts...)
	if err != nil {
		ln.Close()
		<-served
		return err
	}
	defer m.Close()
	s.SetModel(m)
	inf := m.Info()
	log.Info("serving", "addr", ln.Addr().String(), "model", inf.Path, "preset", inf.Preset, "weights", inf.Weights, "load", inf.Load,
		"parallel", s.Parallel(), "queue", max(queue, 0), "threads", inf.Threads, "context", inf.Context)
	if ready != nil {
		ready(ln.Addr().String())
	}
	return <-served
}

// version is the module version the binary was built from ("dev" in a work tree).
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
