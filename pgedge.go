package pgedge

import (
	"errors"
	"fmt"
	"github.com/pgedge/pgedge/compress"
	"io/fs"
	"os"
	"sync"

	"github.com/pgedge/pgedge/infer"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/simd"
	"github.com/pgedge/pgedge/tokenizer"
	"github.com/pgedge/pgedge/vqvae"
)

// Model is a loaded PaliGemma model. It is safe for concurrent use (see the package
// documentation for how concurrent calls are batched). Close it when done.
type Model struct {
	rt     *infer.Model
	tok    *tokenizer.Tokenizer // nil when the model ships none and no WithTokenizer
	sep    int                  // "\n", PaliGemma's prefix separator
	path   string
	ctxLen int

	vqOnce sync.Once
	vqPath string // WithVQVAE
	vq     *vqvae.Decoder
	vqErr  error

	mu     sync.RWMutex // held for reading by calls, for writing by Close
	closed bool
}

// Option tunes Open.
type Option func(*options)

type options struct {
	threads         int
	tokenizer       string
	vqvae           string
	context         int
	globalAttention bool
	kvMemory        int64
	exactBatch      bool
	load            Load
}

// WithThreads sets the number of worker threads (default: GOMAXPROCS, i.e. every CPU
// this process may use).
func WithThreads(n int) Option { return func(o *options) { o.threads = n } }

// WithTokenizer uses a SentencePiece tokenizer.model file instead of the model's own.
func WithTokenizer(path string) Option { return func(o *options) { o.tokenizer = path } }

// WithVQVAE uses a segmentation VQ-VAE (big_vision's vae-oid.npz) for masks instead
// of the one the model carries (a .pge may embed it; a Hugging Face directory may
// hold vae-oid.npz).
func WithVQVAE(path string) Option { return func(o *options) { o.vqvae = path } }

// WithContext caps the context (prompt plus generated tokens) of every request at n
// tokens, below the model's own limit (8192 for PaliGemma 2). A request's KV cache is
// sized for its prompt plus its MaxTokens, so this only bounds the largest one.
func WithContext(n int) Option { return func(o *options) { o.context = n } }

// WithKVMemory bounds the KV-cache memory of the generations that run at once, in
// bytes (default 4 GiB, infer.DefaultKVMemory). Each call's cache is sized for its
// prompt plus its MaxTokens (Info.KVBytesPerToken per token); calls whose caches do not
// fit wait, first come first served, until running ones finish. A call larger than
// the whole limit runs when it is alone.
func WithKVMemory(bytes int64) Option { return func(o *options) { o.kvMemory = bytes } }

// WithExactBatch makes concurrent calls' shared decode steps exact: each call's
// tokens are then bit for bit those it gets alone, whatever runs beside it. Without
// it, a step of 2 to 16 sequences runs the few-row kernels (more: the GEMM), whose
// float sums differ from the one-sequence kernels' in the last bits, which can change
// a sampled token or a greedy near-tie; exact steps run each sequence's row through
// the one-sequence kernels and cost throughput (B = 4: about 1.6× one sequence's
// tokens/s exact against about 3× shared; bench/README.md).
func WithExactBatch(on bool) Option { return func(o *options) { o.exactBatch = on } }

// WithGlobalAttention turns Gemma 2's sliding window off on every layer, as big_vision
// trained PaliGemma 2; it changes results only past 4096 tokens (896 px images).
func WithGlobalAttention(on bool) Option { return func(o *options) { o.globalAttention = on } }

// Load is how Open brings a .pge file's bytes into memory (WithLoad).
type Load = compress.Load

// The load modes (compress.Load has the details).
const (
	// LoadAuto: LoadMemory on Linux when the file takes at most half of the memory the
	// OS reports available, LoadMap otherwise. The default.
	LoadAuto = compress.LoadAuto
	// LoadMap maps the file: opening takes milliseconds, the pages are the page cache's
	// (shared between processes, reclaimable).
	LoadMap = compress.LoadMap
	// LoadMemory reads the file into private huge-page memory (0.3 s for a 3 GB file in
	// the page cache, longer from disk): decoding then streams the weights 10–16% faster.
	LoadMemory = compress.LoadMemory
)

// WithLoad sets how a .pge file's bytes are brought into memory (default LoadAuto). A
// Hugging Face directory is always mapped.
func WithLoad(l Load) Option { return func(o *options) { o.load = l } }

// Open loads a model: a .pge file (pgedge convert) or a Hugging Face PaliGemma
// directory (config.json, safetensors, tokenizer.model). A .pge that fits easily in
// memory is read into huge pages (WithLoad), a larger one is mapped.
func Open(path string, opts ...Option) (*Model, error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	if o.threads < 0 {
		return nil, fmt.Errorf("%w: threads must not be negative, got %d", ErrBadRequest, o.threads)
	}
	if o.kvMemory < 0 {
		return nil, fmt.Errorf("%w: KV memory must not be negative, got %d", ErrBadRequest, o.kvMemory)
	}
	if o.context < 0 {
		return nil, fmt.Errorf("%w: context must not be negative, got %d", ErrBadRequest, o.context)
	}
	if o.load < LoadAuto || o.load > LoadMemory {
		return nil, fmt.Errorf("%w: %v is not a load mode (LoadAuto, LoadMap or LoadMemory)", ErrBadRequest, o.load)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	rt, err := infer.Open(path, infer.Options{Threads: o.threads, GlobalAttention: o.globalAttention, KVMemory: o.kvMemory,
		ExactBatch: o.exactBatch, Load: o.load})
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %v", ErrBadModel, err)
	}
	m := &Model{rt: rt, path: path, sep: infer.NewlineID, vqPath: o.vqvae}
	fail := func(err error) (*Model, error) {
		rt.Close()
		return nil, err
	}
	switch {
	case o.tokenizer != "":
		if m.tok, err = tokenizer.Load(o.tokenizer); err != nil {
			return fail(fmt.Errorf("tokenizer %s: %w", o.tokenizer, err))
		}
	case rt.TokenizerModel != nil:
		if m.tok, err = tokenizer.FromBytes(rt.TokenizerModel); err != nil {
			return fail(fmt.Errorf("%w: its tokenizer: %v", ErrBadModel, err))
		}
	}
	if m.tok != nil {
		if id, ok := m.tok.ID("\n"); ok {
			m.sep = id
		}
	}
	if o.vqvae != "" {
		if _, err := m.maskDecoder(); err != nil {
			return fail(fmt.Errorf("%w: %w", ErrBadVQVAE, err))
		}
	}
	m.ctxLen = rt.Config.Text.MaxPositions
	if o.context > 0 && (m.ctxLen <= 0 || o.context < m.ctxLen) {
		m.ctxLen = o.context
	}
	return m, nil
}

// Close releases the model's threads and its file mapping. Calls running on other
// goroutines finish first; calls made after Close return ErrClosed.
func (m *Model) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil
	}
	m.closed = true
	return m.rt.Close()
}

// Info describes a loaded model and how it runs.
type Info struct {
	Path        string `json:"path"`
	Preset      string `json:"preset"`  // e.g. "pg2-3b-224", else the file's base name
	Family      string `json:"family"`  // "PaliGemma" or "PaliGemma 2"
	Weights     string `json:"weights"` // the decoder's storage: int8, int4, bf16, f16, f32
	ImageSize   int    `json:"image_size"`
	ImageTokens int    `json:"image_tokens"`
	Context     int    `json:"context"` // the largest prompt + generation, in tokens
	VocabSize   int    `json:"vocab_size"`
	Threads     int    `json:"threads"`
	Kernels     string `json:"kernels"` // float and integer kernels chosen for this CPU
	Load        string `json:"load"`    // how the weights are held: "memory" (read into huge pages) or "mmap"
	// Layout is how Q8 weights are held: "rows" (the file's layout) or "panels"
	// (packed at load for the AVX-512 VNNI kernels when read into memory).
	Layout    string `json:"layout"`
	Tokenizer bool   `json:"tokenizer"` // text prompts can be used
	Masks     bool   `json:"masks"`     // a VQ-VAE is available for segmentation masks
	// KVBytesPerToken is the KV cache one token of context needs (all layers).
	KVBytesPerToken int64 `json:"kv_bytes_per_token"`
	// KVMemory is the limit on the KV caches of concurrent calls (WithKVMemory): it
	// decides how many generations run at once.
	KVMemory int64 `json:"kv_memory"`
	// WeightBytes is what one decode step reads: every decoder matrix and the output
	// projection, as stored.
	WeightBytes int64 `json:"weight_bytes"`
}

// Info describes the model.
func (m *Model) Info() Info {
	cfg := m.rt.Config
	t := cfg.Text
	return Info{
		Path: m.path, Preset: model.PresetName(cfg, m.path), Family: cfg.Family.String(),
		Weights: m.rt.DecoderDType().Name(), ImageSize: cfg.Vision.ImageSize,
		ImageTokens: cfg.NumImageTokens(), Context: m.ctxLen, VocabSize: t.VocabSize,
		Threads: m.rt.Threads(), Kernels: simd.Kernels() + "/" + simd.IntKernels(),
		Tokenizer: m.tok != nil, Masks: m.vqPath != "" || len(m.rt.VQVAE) > 0,
		KVBytesPerToken: int64(2 * 4 * t.Layers * t.KVHeads * t.HeadDim), KVMemory: m.rt.KVMemory(),
		WeightBytes: m.rt.ExtendWeightBytes(), Load: m.rt.Load().String(),
		Layout: m.rt.Layout(),
	}
}

// Config is the model's configuration (read only).
func (m *Model) Config() *model.Config { return m.rt.Config }

// Runtime is the model's forward pass, for measuring and evaluating it step by step
// (package bench/harness); the Model stays its owner.
func (m *Model) Runtime() *infer.Model { return m.rt }

// Tokenizer is the model's tokenizer, or nil when it has none.
func (m *Model) Tokenizer() *tokenizer.Tokenizer { return m.tok }

// maskDecoder loads the VQ-VAE on first use; nil without one.
func (m *Model) maskDecoder() (*vqvae.Decoder, error) {
	m.vqOnce.Do(func() {
		switch {
		case m.vqPath != "":
			m.vq, m.vqErr = vqvae.LoadDecoder(m.vqPath)
		case len(m.rt.VQVAE) > 0:
			if m.vq, m.vqErr = vqvae.DecoderFromBytes(m.rt.VQVAE); m.vqErr != nil {
				m.vqErr = fmt.Errorf("the VQ-VAE of %s: %w", m.path, m.vqErr)
			}
		}
	})
	return m.vq, m.vqErr
}
