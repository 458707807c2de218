// Package server is `pgedge serve`: an HTTP server for one PaliGemma model that the
// clients people already have speak — OpenAI's chat completions, ollama's
// generate/chat — plus a native endpoint that answers the library's Result (boxes and
// masks as data).
//
// # Endpoints
//
//	POST /v1/chat/completions   OpenAI chat completions (SSE with "stream": true)
//	GET  /v1/models             OpenAI model list (also /v1/models/{id})
//	POST /api/generate          ollama generate (NDJSON stream by default)
//	POST /api/chat              ollama chat
//	GET  /api/tags, /api/ps, /api/version; POST /api/show
//	POST /v1/run                native: the fields of pgedge.Request → pgedge.Result
//	GET  /health, /metrics      operations
//	GET, HEAD /                 200 (ollama clients probe it)
//
// # Requests and slots
//
// A request is decoded and checked (prompt, image, limits) before it waits for the
// model, so a bad request is answered 4xx at once whatever the load. Then it takes
// one of Config.Parallel slots, or waits in a queue of Config.Queue places, or is
// answered 503 with Retry-After when the queue is full. Each generation runs with its
// own KV cache; compute steps of concurrent generations interleave on the model's
// thread pool. A generation stops within one decode step when its client disconnects,
// its Config.RequestTimeout passes, or the server is shut down past its drain time.
package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pgedge/pgedge"
	"github.com/pgedge/pgedge/server/web"
)

// Defaults of Config fields left zero.
const (
	DefaultBodyLimit          = 20 << 20
	DefaultQueue              = 16
	DefaultDrainTimeout       = 30 * time.Second
	DefaultRemoteImageTimeout = 10 * time.Second
)

// Config configures a Server. Zero fields take the defaults above.
type Config struct {
	// Parallel is the number of generations that run at once (0: DefaultParallel).
	Parallel int
	// Queue is the number of requests that may wait for a slot; beyond it requests
	// are answered 503 (0: DefaultQueue; negative: no queue).
	Queue int
	// MaxTokensLimit bounds the max_tokens a request may ask for (0: the context).
	MaxTokensLimit int
	// RequestTimeout bounds a request from its arrival to its last byte (0: none).
	RequestTimeout time.Duration
	// BodyLimit bounds a request body in bytes (0: DefaultBodyLimit).
	BodyLimit int64
	// APIKey, when set, is required as "Authorization: Bearer KEY" on every endpoint
	// but /health.
	APIKey string
	// CORSOrigin, when set, is sent as Access-Control-Allow-Origin (and preflight
	// requests are answered); without it no CORS headers are sent.
	CORSOrigin string
	// AllowRemoteImages lets requests name http(s) image URLs, fetched with
	// RemoteImageTimeout and BodyLimit, never from loopback, private or link-local
	// addresses (redirects included).
	AllowRemoteImages  bool
	RemoteImageTimeout time.Duration
	// DrainTimeout bounds how long Serve lets running requests finish after its
	// context ends (0: DefaultDrainTimeout).
	DrainTimeout time.Duration
	// ModelName is the id clients see (default: the model's preset name).
	ModelName string
	// Version is reported by /api/version.
	Version string
	// Logger receives one line per request (nil: slog.Default()).
	Logger *slog.Logger

	// allowLoopbackFirstHop lets tests fetch a remote image from a loopback server
	// (redirects are still checked).
	allowLoopbackFirstHop bool
}

// Server serves one model. Create it with New, give it the model with SetModel (until
// then /health answers 503 and generations 503), and run it with Serve or use it as
// an http.Handler.
type Server struct {
	cfg     Config
	log     *slog.Logger
	mux     *http.ServeMux
	handler http.Handler
	metrics *metrics
	slots   *slots
	keyHash [32]byte
	started time.Time

	mu    sync.RWMutex
	model *pgedge.Model
	info  pgedge.Info
	name  string

	// stop is cancelled when the drain time after shutdown has passed: every
	// generation's context derives from it.
	stop     context.Context
	stopNow  context.CancelFunc
	inflight sync.WaitGroup
	reqSeq   atomic.Uint64
	idPrefix string
}

// DefaultParallel is the slot count when Config.Parallel is 0: the CPUs this process
// may use, at most as many full-context KV caches as fit in half the available
// memory, at least 1.
func DefaultParallel(info pgedge.Info) int {
	n := runtime.GOMAXPROCS(0)
	if per := info.KVBytesPerToken * int64(info.Context); per > 0 {
		if avail := availableMemory(); avail > 0 {
			n = min(n, int(avail/2/per))
		}
	}
	return max(n, 1)
}

// availableMemory is MemAvailable from /proc/meminfo in bytes, or 0 when unknown.
func availableMemory() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		var kb int64
		if _, err := fmt.Sscanf(line, "MemAvailable: %d kB", &kb); err == nil {
			return kb << 10
		}
	}
	return 0
}

// New makes a server. Parallel 0 is resolved by SetModel (it depends on the model).
func New(cfg Config) *Server {
	if cfg.BodyLimit <= 0 {
		cfg.BodyLimit = DefaultBodyLimit
	}
	if cfg.Queue == 0 {
		cfg.Queue = DefaultQueue
	} else if cfg.Queue < 0 {
		cfg.Queue = 0
	}
	if cfg.DrainTimeout <= 0 {
		cfg.DrainTimeout = DefaultDrainTimeout
	}
	if cfg.RemoteImageTimeout <= 0 {
		cfg.RemoteImageTimeout = DefaultRemoteImageTimeout
	}
	if cfg.Version == "" {
		cfg.Version = "dev"
	}
	s := &Server{cfg: cfg, log: cfg.Logger, started: time.Now()}
	if s.log == nil {
		s.log = slog.Default()
	}
	if cfg.APIKey != "" {
		s.keyHash = sha256.Sum256([]byte(cfg.APIKey))
	}
	var b [4]byte
	rand.Read(b[:])
	s.idPrefix = hex.EncodeToString(b[:])
	s.stop, s.stopNow = context.WithCancel(context.Background())
	s.metrics = newMetrics()
	s.slots = newSlots(max(cfg.Parallel, 1), cfg.Queue, s.metrics)
	s.routes()
	return s
}

// SetModel gives the server its model (once); generations are refused until then.
func (s *Server) SetModel(m *pgedge.Model) {
	info := m.Info()
	s.mu.Lock()
	s.model, s.info = m, info
	s.name = s.cfg.ModelName
	if s.name == "" {
		s.name = info.Preset
	}
	s.mu.Unlock()
	if s.cfg.Parallel <= 0 {
		s.slots.resize(DefaultParallel(info))
	}
}

// Parallel is the number of slots.
func (s *Server) Parallel() int { return s.slots.size() }

// loaded is the model, its info and name; nil before SetModel.
func (s *Server) loaded() (*pgedge.Model, pgedge.Info, string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.model, s.info, s.name
}

func (s *Server) routes() {
	mux := http.NewServeMux()
	page := web.Handler()
	mux.Handle("GET /{$}", page)
	mux.Handle("GET /app.js", page)
	mux.Handle("GET /style.css", page)
	mux.HandleFunc("GET /v1/info", s.handleInfo)
	mux.HandleFunc("GET /health", s.handleHealth)
	mux.Handle("GET /metrics", s.metrics.handler())

	mux.HandleFunc("POST /v1/chat/completions", s.handleChatCompletions)
	mux.HandleFunc("GET /v1/models", s.handleModels)
	mux.HandleFunc("GET /v1/models/{id...}", s.handleModel)
	mux.HandleFunc("POST /v1/run", s.handleRun)

	mux.HandleFunc("POST /api/generate", s.handleOllamaGenerate)
	mux.HandleFunc("POST /api/chat", s.handleOllamaChat)
	mux.HandleFunc("GET /api/tags", s.handleOllamaTags)
	mux.HandleFunc("POST /api/show", s.handleOllamaShow)
	mux.HandleFunc("GET /api/ps", s.handleOllamaPS)
	mux.HandleFunc("GET /api/version", s.handleOllamaVersion)

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, &apiError{status: http.StatusNotFound, code: "not_found",
			msg: fmt.Sprintf("no endpoint %s %s (see the README's endpoint table)", r.Method, r.URL.Path)})
	})
	s.mux = mux
	s.handler = s.middleware(mux)
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Serve accepts connections on ln until ctx ends, then stops accepting, lets the
// running requests finish for at most Config.DrainTimeout, cancels what still runs,
// and returns nil (or the listener's error).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 30 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.Background() },
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: draining running requests", "timeout", s.cfg.DrainTimeout.String())
	dctx, cancel := context.WithTimeout(context.Background(), s.cfg.DrainTimeout)
	defer cancel()
	err := hs.Shutdown(dctx)
	if err != nil {
		// Drain time is over: stop the generations, then close what is left.
		s.stopNow()
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if hs.Shutdown(cctx) != nil {
			hs.Close()
		}
	}
	s.stopNow()
	s.inflight.Wait()
	<-errc
	s.log.Info("stopped")
	return nil
}

// middleware wraps every request: id, recovery, body limit, CORS, auth, metrics, log.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.inflight.Add(1)
		defer s.inflight.Done()
		start := time.Now()
		rec := &reqInfo{id: fmt.Sprintf("%s-%d", s.idPrefix, s.reqSeq.Add(1)), start: start}
		rw := &statusWriter{ResponseWriter: w}
		r = r.WithContext(context.WithValue(r.Context(), reqInfoKey{}, rec))
		rw.Header().Set("X-Request-Id", rec.id)
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic serving request", "id", rec.id, "panic", fmt.Sprint(p))
				if !rw.wrote {
					writeError(rw, r, &apiError{status: http.StatusInternalServerError, code: "internal_error", msg: "internal error"})
				}
			}
			s.finish(r, rw, rec, time.Since(start))
		}()
		if s.cfg.CORSOrigin != "" {
			h := rw.Header()
			h.Set("Access-Control-Allow-Origin", s.cfg.CORSOrigin)
			h.Add("Vary", "Origin")
			if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
				h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS")
				h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
				h.Set("Access-Control-Max-Age", "600")
				rw.WriteHeader(http.StatusNoContent)
				return
			}
		}
		if s.cfg.APIKey != "" && !public(r) && !s.authorized(r) {
			rw.Header().Set("WWW-Authenticate", `Bearer realm="pgedge"`)
			writeError(rw, r, &apiError{status: http.StatusUnauthorized, code: "invalid_api_key",
				msg: "missing or wrong API key: send Authorization: Bearer KEY"})
			return
		}
		r.Body = http.MaxBytesReader(rw, r.Body, s.cfg.BodyLimit)
		next.ServeHTTP(rw, r)
	})
}

// authorized compares the bearer token with the key in constant time (of hashes, so
// the key's length does not show either).
func (s *Server) authorized(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok {
		return false
	}
	h := sha256.Sum256([]byte(strings.TrimSpace(tok)))
	return subtle.ConstantTimeCompare(h[:], s.keyHash[:]) == 1
}

// finish counts and logs a request.
func (s *Server) finish(r *http.Request, rw *statusWriter, rec *reqInfo, d time.Duration) {
	status := rw.status
	if status == 0 {
		status = http.StatusOK
	}
	if rec.clientGone && !rw.wrote {
		status = 499 // nginx's "client closed request": nothing was sent
	}
	endpoint := r.Pattern
	if endpoint == "" || endpoint == "/" {
		endpoint = "other"
	}
	s.metrics.request(endpoint, status, d)
	attrs := []any{"id", rec.id, "method", r.Method, "path", r.URL.Path, "endpoint", endpoint, "status", status,
		"duration_ms", ms(d), "remote", r.RemoteAddr}
	if rec.generated {
		attrs = append(attrs, "prompt_tokens", rec.promptTokens, "generated_tokens", rec.genTokens,
			"queue_ms", ms(rec.queue), "ttft_ms", ms(rec.ttft), "finish", rec.finish)
	}
	if rec.err != "" {
		attrs = append(attrs, "error", rec.err)
	}
	s.log.Info("request", attrs...)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// reqInfo is what a handler reports about its request for the log line.
type reqInfo struct {
	id           string
	start        time.Time
	generated    bool
	promptTokens int
	genTokens    int
	queue, ttft  time.Duration
	finish       string
	err          string
	clientGone   bool
}

type reqInfoKey struct{}

func info(r *http.Request) *reqInfo {
	if v, ok := r.Context().Value(reqInfoKey{}).(*reqInfo); ok {
		return v
	}
	return &reqInfo{start: time.Now()}
}

// statusWriter records the status; it flushes and unwraps for http.ResponseController.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// public reports whether r may be answered without the API key: the health check, and
// the web page's own files (they hold no data; the page then asks for the key).
func public(r *http.Request) bool {
	switch r.URL.Path {
	case "/health":
		return true
	case "/", "/app.js", "/style.css":
		return r.Method == http.MethodGet || r.Method == http.MethodHead
	}
	return false
}

// handleInfo answers GET /v1/info: the loaded model as pgedge.Info describes it (the
// web page shows it).
func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request) {
	m, info, _ := s.loaded()
	if m == nil {
		writeError(w, r, errNotLoaded)
		return
	}
	writeJSON(w, http.StatusOK, info)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	m, _, _ := s.loaded()
	if m == nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "loading"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

var errNotLoaded = &apiError{status: http.StatusServiceUnavailable, code: "model_loading", msg: "the model is still loading", retryAfter: 1}

// errorsAs is errors.As with a typed result.
func errorsAs[T error](err error) (T, bool) {
	var t T
	ok := errors.As(err, &t)
	return t, ok
}
