package pgedge

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pgedge/pgedge/imageproc"
	"github.com/pgedge/pgedge/infer"
)

// EncodeImage runs the vision tower on img once; Requests that carry the result as
// Encoded skip it. ctx is checked before the work starts.
func (m *Model) EncodeImage(ctx context.Context, img *Image) (*EncodedImage, error) {
	if img == nil {
		return nil, badRequest("no image given")
	}
	if err := m.acquire(); err != nil {
		return nil, err
	}
	defer m.mu.RUnlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pixels := imageproc.Preprocess(img.rgb, m.rt.Config.Vision.ImageSize)
	f, err := m.rt.EncodeImage(pixels)
	if err != nil {
		return nil, err
	}
	return &EncodedImage{m: m, name: img.name, w: img.rgb.W, h: img.rgb.H, features: f, src: img}, nil
}

// acquire takes the model for one call; the caller releases m.mu.RUnlock.
func (m *Model) acquire() error {
	m.mu.RLock()
	if m.closed {
		m.mu.RUnlock()
		return ErrClosed
	}
	return nil
}

// Prompt is the token sequence a request runs: the image slots, then the prompt's ids.
// It checks the request as Generate does, without running the model.
func (m *Model) Prompt(req *Request) ([]int, error) {
	text, err := req.PromptText()
	if err != nil {
		return nil, err
	}
	cfg := m.rt.Config
	withImage := req.Image != nil || req.Encoded != nil
	if req.PromptIDs != nil {
		for i, id := range req.PromptIDs {
			if id < 0 || id >= cfg.Text.VocabSize || id == cfg.ImageTokenIndex {
				return nil, badRequest("PromptIDs[%d] = %d is not a prompt token (vocabulary of %d, <image> is %d)", i, id, cfg.Text.VocabSize, cfg.ImageTokenIndex)
			}
		}
		return infer.WithImageSlots(cfg, req.PromptIDs, withImage), nil
	}
	if m.tok == nil {
		return nil, badRequest("%s has no tokenizer: open it WithTokenizer, or give PromptIDs", m.path)
	}
	return infer.PromptIDs(cfg, m.tok.Encode(text), m.sep, withImage), nil
}

// Generate runs one request to the end: <eos>, MaxTokens, a full context, a Stream
// callback's ErrStop, or ctx's cancellation (checked before every token; the call then
// returns ctx.Err()). It may be called from several goroutines at once.
func (m *Model) Generate(ctx context.Context, req Request) (*Result, error) {
	if req.Image != nil && req.Encoded != nil {
		return nil, badRequest("give Image or Encoded, not both")
	}
	if req.Encoded != nil && req.Encoded.m != m {
		return nil, badRequest("the encoded image belongs to another model")
	}
	ids, err := m.Prompt(&req)
	if err != nil {
		return nil, err
	}
	maxTokens, err := req.maxTokens()
	if err != nil {
		return nil, err
	}
	if err := req.Sampling.inferOptions().Validate(); err != nil {
		return nil, badRequest("%v", err)
	}
	if m.ctxLen > 0 && len(ids) >= m.ctxLen {
		image := 0
		if req.Image != nil || req.Encoded != nil {
			image = m.rt.Config.NumImageTokens()
		}
		return nil, fmt.Errorf("%w: the prompt has %d tokens (%d of them the image's); the context holds %d, and must keep room for a generated token",
			ErrPromptTooLong, len(ids), image, m.ctxLen)
	}
	if err := m.acquire(); err != nil {
		return nil, err
	}
	defer m.mu.RUnlock()

	cfg := m.rt.Config
	res := &Result{Objects: []Object{}, PromptTokens: len(ids)}
	var src *Image
	opts := infer.GenerateOptions{MaxTokens: maxTokens, Sampler: req.Sampling.inferOptions(), StopIDs: []int{cfg.EOS}}
	if m.ctxLen > 0 {
		opts.Capacity = min(len(ids)+maxTokens, m.ctxLen)
	}
	var pixels []float32
	switch {
	case req.Encoded != nil:
		e := req.Encoded
		src, opts.Image = e.src, e.features
		res.Image, res.Width, res.Height = e.name, e.w, e.h
	case req.Image != nil:
		t0 := time.Now()
		src = req.Image
		pixels = imageproc.Preprocess(src.rgb, cfg.Vision.ImageSize)
		res.Image, res.Width, res.Height = src.name, src.rgb.W, src.rgb.H
		res.Timings.ImageMS = ms(time.Since(t0))
	}

	var gen []int
	printed := ""
	opts.OnToken = func(id int) error {
		if id == cfg.EOS {
			return nil
		}
		gen = append(gen, id)
		if req.Stream == nil {
			return nil
		}
		// Send what the new token adds; byte pieces can complete a character only
		// later, so compare whole decodings.
		if s := m.decode(gen); strings.HasPrefix(s, printed) && len(s) > len(printed) {
			delta := s[len(printed):]
			printed = s
			return req.Stream(delta)
		}
		return nil
	}
	out, tm, err := m.rt.Generate(ctx, pixels, ids, opts)
	res.Timings.Timings = tm
	switch {
	case errors.Is(err, ErrStop):
		res.FinishReason = "stop_requested"
	case errors.Is(err, infer.ErrContextFull):
		return nil, fmt.Errorf("%w: %v", ErrPromptTooLong, err)
	case err != nil:
		return nil, err
	case len(out) > 0 && out[len(out)-1] == cfg.EOS:
		res.FinishReason = "stop"
	default:
		res.FinishReason = "length"
	}
	res.Text, res.Tokens = m.decode(gen), out
	if req.Stream != nil && res.FinishReason != "stop_requested" && res.Text != printed && strings.HasPrefix(res.Text, printed) {
		if err := req.Stream(res.Text[len(printed):]); err != nil && !errors.Is(err, ErrStop) {
			return nil, err
		}
	}
	if src != nil {
		t1 := time.Now()
		if err := parseObjects(res, src.rgb.W, src.rgb.H, m.maskDecoder); err != nil {
			return nil, err
		}
		// At least 1 µs: the key (omitted when no objects were parsed) must not drop
		// out of the JSON when a parse is faster than the clock's microsecond.
		res.Timings.ObjectsMS = max(ms(time.Since(t1)), 0.001)
	}
	return res, nil
}

// decode is the text of generated ids; without a tokenizer, the ids as numbers.
func (m *Model) decode(ids []int) string {
	if m.tok == nil {
		parts := make([]string, len(ids))
		for i, id := range ids {
			parts[i] = strconv.Itoa(id)
		}
		return strings.Join(parts, " ")
	}
	return m.tok.Decode(ids)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
