package runtime

import (
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

// Sampler picks tokens. It never picks an id at or past limit (the untrained padding
// rows 257152…257215 of released checkpoints). Its buffers are reused: sampling
// allocates nothing per token.
type Sampler struct {
	opts  SamplerOptions
	limit int
	rng   *rand.Rand
	idx   []int
	probs []float64
}

// NewSampler makes a sampler over ids [0, limit).
func NewSampler(opts SamplerOptions, limit int) (*Sampler, error) {
	if opts.Temperature < 0 || math.IsNaN(opts.Temperature) {
		return nil, fmt.Errorf("temperature must be ≥ 0, got %g", opts.Temperature)
	}
	if opts.TopK < 0 {
		return nil, fmt.Errorf("top-k must be ≥ 0, got %d", opts.TopK)
	}
	if opts.TopP < 0 || opts.TopP > 1 {
		return nil, fmt.Errorf("top-p must be in [0, 1], got %g", opts.TopP)
	}
	return &Sampler{opts: opts, limit: limit, rng: rand.New(rand.NewPCG(opts.Seed, 0x70676564676521))}, nil
}

// Sample returns the chosen id.
func (s *Sampler) Sample(logits []float32) int {
	n := min(len(logits), s.limit)
	if s.opts.Temperature == 0 {
		best := 0
		for i := 1; i < n; i++ {
			if logits[i] > logits[best] {
				best = i
			}
		}
		return best
	}
	if cap(s.idx) < n {
		s.idx = make([]int, n)
		s.probs = make([]float64, n)
	}
	idx := s.idx[:n]
	for i := range idx {
		idx[i] = i
	}
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
	// OnToken, when set, is called with every generated id as soon as it is chosen.
	OnToken func(id int)
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

// Generate prefills ids (with the image's pixel values) and samples up to MaxTokens
// new tokens, stopping on a stop id (which is included in the result).
func (m *Model) Generate(pixels []float32, ids []int, opts GenerateOptions) ([]int, Timings, error) {
	var tm Timings
	if opts.MaxTokens <= 0 {
		return nil, tm, fmt.Errorf("max tokens must be positive, got %d", opts.MaxTokens)
	}
	sampler, err := NewSampler(opts.Sampler, m.Config.TrainedVocab())
	if err != nil {
		return nil, tm, err
	}
	need := len(ids) + opts.MaxTokens
	if mp := m.Config.Text.MaxPositions; mp > 0 && need > mp {
		if len(ids) >= mp {
			return nil, tm, fmt.Errorf("prompt of %d tokens is longer than the model's context of %d", len(ids), mp)
		}
		need = mp
	}
	s, err := m.NewSession(need)
	if err != nil {
		return nil, tm, err
	}
	t0 := time.Now()
	logits, err := s.Prefill(pixels, ids, false)
	if err != nil {
		return nil, tm, err
	}
	tm.PrefillMS = ms(time.Since(t0))
	tm.VisionMS = ms(s.VisionTime)
	tm.PrefillTokens = len(ids)
	tm.PrefillTokPerS = float64(len(ids)) / time.Since(t0).Seconds()
	var out []int
	t1 := time.Now()
	for len(out) < opts.MaxTokens {
		id := sampler.Sample(logits)
		out = append(out, id)
		if opts.OnToken != nil {
			opts.OnToken(id)
		}
		stop := false
		for _, e := range opts.StopIDs {
			stop = stop || id == e
		}
		if stop || len(out) == opts.MaxTokens || s.Len() >= s.Capacity() {
			break
		}
		if logits, err = s.Extend(id); err != nil {
			return out, tm, err
		}
		tm.ExtendTokens++
	}
	tm.ExtendMS = ms(time.Since(t1))
	if tm.ExtendTokens > 0 {
		tm.ExtendTokPerS = float64(tm.ExtendTokens) / time.Since(t1).Seconds()
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
	var ids []int
	if withImage {
		n := cfg.NumImageTokens()
		ids = make([]int, 0, n+len(text)+2)
		for i := 0; i < n; i++ {
			ids = append(ids, cfg.ImageTokenIndex)
		}
	}
	ids = append(ids, cfg.BOS)
	ids = append(ids, text...)
	return append(ids, sep)
}
