package infer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/pgedge/pgedge/model"
)

// SamplerOptions choose the next token from logits. Temperature 0 is greedy (the
// PaliGemma default, and what the reference outputs use).
type SamplerOptions struct {
	Temperature float64
	TopK        int     // 0 = no limit
	TopP        float64 // 0 or 1 = no limit
	Seed        uint64
}

// Validate reports the first option out of range.
func (o SamplerOptions) Validate() error {
	if o.Temperature < 0 || math.IsNaN(o.Temperature) || math.IsInf(o.Temperature, 0) {
		return fmt.Errorf("temperature must be ≥ 0 (and finite), got %g", o.Temperature)
	}
	if o.TopK < 0 {
		return fmt.Errorf("top-k must be ≥ 0, got %d", o.TopK)
	}
	if !(o.TopP >= 0 && o.TopP <= 1) {
		return fmt.Errorf("top-p must be in [0, 1], got %g", o.TopP)
	}
	return nil
}

// SampleLimit is the number of leading logits a next token is chosen from: the trained
// vocabulary (without the untrained padding rows 257152…257215 of released
// checkpoints), and without the <image> token when that is its last id (as in the
// tiny presets; the released checkpoints' <image> is already past it).
func SampleLimit(cfg *model.Config) int {
	n := cfg.TrainedVocab()
	if cfg.ImageTokenIndex == n-1 {
		n--
	}
	return n
}

// Greedy is the one rule for a greedy next token, used by generation, evaluation and
// the benchmarks alike: the most likely id below SampleLimit, never <image>, the
// lowest id among equal maxima.
func Greedy(cfg *model.Config, logits []float32) int {
	n := min(len(logits), SampleLimit(cfg))
	best := 0
	if cfg.ImageTokenIndex == 0 {
		best = 1
	}
	for i := best + 1; i < n; i++ {
		if logits[i] > logits[best] && i != cfg.ImageTokenIndex {
			best = i
		}
	}
	return best
}

// Sampler picks tokens among the ids Greedy may choose (below SampleLimit, never
// <image>). Its buffers are reused: sampling allocates nothing per token.
type Sampler struct {
	opts  SamplerOptions
	cfg   *model.Config
	rng   *rand.Rand
	idx   []int
	probs []float64
}

// NewSampler makes a sampler for a model's vocabulary.
func NewSampler(opts SamplerOptions, cfg *model.Config) (*Sampler, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	return &Sampler{opts: opts, cfg: cfg, rng: rand.New(rand.NewPCG(opts.Seed, 0x70676564676521))}, nil
}

// Sample returns the chosen id.
func (s *Sampler) Sample(logits []float32) int {
	if s.opts.Temperature == 0 {
		return Greedy(s.cfg, logits)
	}
	n := min(len(logits), SampleLimit(s.cfg))
	if cap(s.idx) < n {
		s.idx = make([]int, n)
		s.probs = make([]float64, n)
	}
	idx := s.idx[:0]
	for i := 0; i < n; i++ {
		if i != s.cfg.ImageTokenIndex {
			idx = append(idx, i)
		}
	}
	n = len(idx)
	k := n
	if s.opts.TopK > 0 && s.opts.TopK < n {
		k = s.opts.TopK
	}
	// Order by logit, descending; ties by id so a seed always gives the same tokens.
	sort.Slice(idx, func(a, b int) bool {
		la, lb := logits[idx[a]], logits[idx[b]]
		return la > lb || (la == lb && idx[a] < idx[b])
	})
	idx = idx[:k]
	probs := s.probs[:k]
	top := float64(logits[idx[0]])
	var sum float64
	for i, id := range idx {
		probs[i] = math.Exp((float64(logits[id]) - top) / s.opts.Temperature)
		sum += probs[i]
	}
	if p := s.opts.TopP; p > 0 && p < 1 {
		var c float64
		for i := range probs {
			c += probs[i] / sum
			if c >= p {
				k = i + 1
				break
			}
		}
		idx, probs = idx[:k], probs[:k]
		sum = 0
		for _, q := range probs {
			sum += q
		}
	}
	r := s.rng.Float64() * sum
	for i, q := range probs {
		r -= q
		if r < 0 {
			return idx[i]
		}
	}
	return idx[len(idx)-1]
}

// GenerateOptions control a generation.
type GenerateOptions struct {
	MaxTokens int
	Sampler   SamplerOptions
	StopIDs   []int // generation stops after emitting one of these (EOS)
	// Capacity is the KV cache's size in tokens; 0 means the prompt plus MaxTokens,
	// capped at the model's positions. Generation stops when the cache is full.
	Capacity int
	// Image, when set, is the encoded image for the prompt's image slots (instead of
	// pixels), from Model.EncodeImage.
	Image *ImageFeatures
	// OnToken, when set, is called with every generated id as soon as it is chosen. An
	// error stops generation: Generate returns it with the ids so far.
	OnToken func(id int) error
}

// Timings of one generation.
type Timings struct {
	VisionMS       float64 `json:"vision_ms"`
	PrefillMS      float64 `json:"prefill_ms"` // includes vision
	PrefillTokens  int     `json:"prefill_tokens"`
	ExtendMS       float64 `json:"extend_ms"`
	ExtendTokens   int     `json:"extend_tokens"`
	PrefillTokPerS float64 `json:"prefill_tokens_per_s"`
	ExtendTokPerS  float64 `json:"extend_tokens_per_s"`
}

// ErrContextFull is returned (wrapped) when a prompt leaves no room in the context
// for a generated token.
var ErrContextFull = errors.New("prompt too long")

// Generate prefills ids (with the image's pixel values, or opts.Image) and samples up
// to MaxTokens new tokens, stopping on a stop id (which is included in the result).
// Concurrent calls share the model's batch scheduler (see scheduler.go): their decode
// steps run as one Batch step, and a new call's prefill runs in pieces between them.
// ctx is checked before the prefill, between its pieces and before every decode step:
// a cancelled generation returns ctx.Err() with the ids so far, within one step.
func (m *Model) Generate(ctx context.Context, pixels []float32, ids []int, opts GenerateOptions) (out []int, tm Timings, err error) {
	if opts.MaxTokens <= 0 {
		return nil, tm, fmt.Errorf("max tokens must be positive, got %d", opts.MaxTokens)
	}
	sampler, err := NewSampler(opts.Sampler, m.Config)
	if err != nil {
		return nil, tm, err
	}
	need := opts.Capacity
	if need <= 0 {
		need = len(ids) + opts.MaxTokens
	}
	if mp := m.Config.Text.MaxPositions; mp > 0 && need > mp {
		need = mp
	}
	if len(ids) >= need {
		return nil, tm, fmt.Errorf("%w: a prompt of %d tokens is longer than the model's context of %d tokens (which must also hold a generated token)", ErrContextFull, len(ids), need)
	}
	if err := ctx.Err(); err != nil {
		return nil, tm, err
	}
	t0 := time.Now()
	g := &genSeq{ctx: ctx, kv: m.KVBytes(need), done: make(chan struct{}, 1)}
	if err := m.sched.admit(g); err != nil {
		return nil, tm, err
	}
	defer m.sched.leave(g)
	s, err := m.NewSession(need)
	if err != nil {
		return nil, tm, err
	}
	if g.run, err = s.newPrefillRun(pixels, opts.Image, ids, false, pieceRows); err != nil {
		return nil, tm, err
	}
	g.s = s
	logits, err := m.sched.prefill(g)
	if err != nil {
		return nil, tm, err
	}
	tm.PrefillMS = ms(time.Since(t0))
	tm.VisionMS = ms(s.VisionTime)
	tm.PrefillTokens = len(ids)
	tm.PrefillTokPerS = float64(len(ids)) / time.Since(t0).Seconds()
	t1 := time.Now()
	defer func() { // the extend figures, on every return from here
		tm.ExtendMS = ms(time.Since(t1))
		if tm.ExtendTokens > 0 {
			tm.ExtendTokPerS = float64(tm.ExtendTokens) / time.Since(t1).Seconds()
		}
	}()
	for len(out) < opts.MaxTokens {
		id := sampler.Sample(logits)
		out = append(out, id)
		if opts.OnToken != nil {
			if err := opts.OnToken(id); err != nil {
				return out, tm, err
			}
		}
		stop := false
		for _, e := range opts.StopIDs {
			stop = stop || id == e
		}
		if stop || len(out) == opts.MaxTokens || s.Len() >= s.Capacity() {
			break
		}
		if err := ctx.Err(); err != nil {
			return out, tm, err
		}
		if logits, err = m.sched.extend(g, id); err != nil {
			return out, tm, err
		}
		tm.ExtendTokens++
	}
	return out, tm, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// NewlineID is "\n" in the Gemma vocabulary: PaliGemma's prefix separator.
const NewlineID = 108

// PromptIDs lays out a prompt as PaliGemma expects (PALIGEMMA_SPEC §1.1):
// N image slots, <bos>, the prompt's tokens, then the separator "\n" (sep). With
// withImage false there are no image slots.
func PromptIDs(cfg *model.Config, text []int, sep int, withImage bool) []int {
	ids := make([]int, 0, len(text)+2)
	ids = append(ids, cfg.BOS)
	ids = append(ids, text...)
	return WithImageSlots(cfg, append(ids, sep), withImage)
}

// WithImageSlots puts the image's N slots (the <image> id) before ids, which are used
// as given; with withImage false it returns ids unchanged. It is the one place the
// layout of image and prompt is decided.
func WithImageSlots(cfg *model.Config, ids []int, withImage bool) []int {
	if !withImage {
		return ids
	}
	n := cfg.NumImageTokens()
	out := make([]int, n, n+len(ids))
	for i := range out {
		out[i] = cfg.ImageTokenIndex
	}
	return append(out, ids...)
}
