package runtime

import (
	"fmt"
	"math"
	"time"

	"github.com/pgedge/pgedge/simd"
)

// Trace, when set on a session, records intermediate activations of the next
// Prefill for every position (used by the reference tests and for debugging; costs
// copies, so leave it nil otherwise).
type Trace struct {
	Image        *ImageFeatures
	ImageScaled  []float32 // projected / √hidden: the vectors placed at the <image> slots
	DecoderInput []float32 // L×hidden: merged embeddings × √hidden
	AfterLayer0  []float32 // L×hidden: residual stream after decoder layer 0
	FinalNorm    []float32 // L×hidden: after the final RMSNorm
}

// Session is one sequence: its KV cache and position. Make one per prompt.
type Session struct {
	m         *Model
	capacity  int
	k, v      [][]float32 // per layer: kvHeads × capacity × headDim (one head's keys are contiguous)
	n         int         // tokens in the cache
	prefixLen int         // tokens [0, prefixLen) attend to each other bidirectionally
	Trace     *Trace
	// VisionTime is how long the last Prefill spent in the vision tower.
	VisionTime time.Duration

	// Buffers reused across Extend calls so decoding a token allocates nothing.
	attn attnJob
	full fullAttention // prefill's attention: the whole prompt is one prefix

	bufs struct {
		h, xn, q, k, v, att, tmp, gate, up, logits []float32
		angles                                     []float32   // RoPE cos/sin per new position
		scores, runMax                             [][]float32 // per worker
		runSum                                     [][]float64
	}
}

// NewSession makes a session whose KV cache holds capacity tokens (prompt plus
// generated).
func (m *Model) NewSession(capacity int) (*Session, error) {
	if capacity <= 0 {
		return nil, fmt.Errorf("session capacity must be positive, got %d", capacity)
	}
	if mp := m.Config.Text.MaxPositions; mp > 0 && capacity > mp {
		return nil, fmt.Errorf("a context of %d tokens exceeds the model's %d positions", capacity, mp)
	}
	s := &Session{m: m, capacity: capacity}
	for range m.layers {
		s.k = append(s.k, make([]float32, capacity*m.kvDim))
		s.v = append(s.v, make([]float32, capacity*m.kvDim))
	}
	t := m.Config.Text
	group := t.Heads / t.KVHeads
	s.full = fullAttention{pool: m.eng.pool, hd: t.HeadDim, heads: t.Heads, group: group,
		scale: m.Config.QueryScale(), softcap: float32(t.AttnSoftcap)}
	s.bufs.scores = make([][]float32, m.Threads())
	s.bufs.runMax = make([][]float32, m.Threads())
	s.bufs.runSum = make([][]float64, m.Threads())
	for i := range s.bufs.scores {
		s.bufs.scores[i] = make([]float32, group*attnKeyBlock) // one key tile of scores per head
		s.bufs.runMax[i] = make([]float32, group)
		s.bufs.runSum[i] = make([]float64, group)
	}
	return s, nil
}

// Len is the number of tokens in the cache.
func (s *Session) Len() int { return s.n }

// Capacity is the number of tokens the cache holds.
func (s *Session) Capacity() int { return s.capacity }

func grow(b *[]float32, n int) []float32 {
	if cap(*b) < n {
		*b = make([]float32, n)
	}
	*b = (*b)[:n]
	return *b
}

// Prefill runs the prompt: ids is the whole input sequence as Hugging Face builds it,
// with the <image> id (config image_token_index) at the slots that take the image
// features, in order. All of it is prefix: every token attends to every other one.
// pixels (CHW, [-1,1]) is required when ids hold image slots. It returns the next-token
// logits of the last position, or of every position when all is set (L×vocab).
func (s *Session) Prefill(pixels []float32, ids []int, all bool) ([]float32, error) {
	return s.prefill(pixels, nil, ids, all)
}

// PrefillImage is Prefill with the image already encoded by Model.EncodeImage, so
// that several prompts about one image run SigLIP once.
func (s *Session) PrefillImage(img *ImageFeatures, ids []int, all bool) ([]float32, error) {
	if img == nil {
		return nil, fmt.Errorf("no image features given")
	}
	return s.prefill(nil, img, ids, all)
}

func (s *Session) prefill(pixels []float32, img *ImageFeatures, ids []int, all bool) ([]float32, error) {
	if s.n != 0 {
		return nil, fmt.Errorf("prefill on a session that already holds %d tokens", s.n)
	}
	m := s.m
	cfg := m.Config
	L := len(ids)
	if L == 0 {
		return nil, fmt.Errorf("empty prompt")
	}
	if L > s.capacity {
		return nil, fmt.Errorf("prompt of %d tokens does not fit the context of %d tokens", L, s.capacity)
	}
	nImg := 0
	for i, id := range ids {
		if id == cfg.ImageTokenIndex {
			nImg++
		} else if id < 0 || id >= cfg.Text.VocabSize {
			return nil, fmt.Errorf("token %d at position %d is outside the vocabulary of %d", id, i, cfg.Text.VocabSize)
		}
	}
	W := m.hidden
	if nImg > 0 {
		if nImg != cfg.NumImageTokens() {
			return nil, fmt.Errorf("prompt has %d image slots, the model takes %d per image", nImg, cfg.NumImageTokens())
		}
		if pixels == nil && img == nil {
			return nil, fmt.Errorf("prompt has image slots but no image was given")
		}
		if img != nil && len(img.Projected) != nImg*W {
			return nil, fmt.Errorf("image features hold %d values, the prompt's %d slots take %d", len(img.Projected), nImg, nImg*W)
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	h := make([]float32, L*W)
	if nImg > 0 {
		if img == nil {
			t0 := time.Now()
			var err error
			img, err = m.encodeImage(pixels)
			s.VisionTime = time.Since(t0)
			if err != nil {
				return nil, err
			}
		}
		// HF divides the projector output by √hidden and then multiplies every input
		// embedding by the same normalizer; in float32 the round trip is not exactly
		// the identity, so do both.
		invScale := float32(1 / math.Sqrt(float64(W)))
		scaled := make([]float32, len(img.Projected))
		for i, x := range img.Projected {
			scaled[i] = x * invScale
		}
		slot := 0
		for i, id := range ids {
			if id == cfg.ImageTokenIndex {
				src := scaled[slot*W : (slot+1)*W]
				for e, x := range src {
					h[i*W+e] = x * m.embedScale
				}
				slot++
			}
		}
		if s.Trace != nil {
			s.Trace.Image, s.Trace.ImageScaled = img, scaled
		}
	}
	for i, id := range ids {
		if id != cfg.ImageTokenIndex {
			m.embedRow(h[i*W:(i+1)*W], id, m.eng.rowScratch[0])
		}
	}
	if s.Trace != nil {
		s.Trace.DecoderInput = append([]float32(nil), h...)
	}
	s.prefixLen = L
	return s.forward(h, L, all)
}

// Extend appends one generated token (causal: it sees the whole prefix and every
// earlier token) and returns the next-token logits. The returned slice is reused by
// the next call.
func (s *Session) Extend(id int) ([]float32, error) {
	return s.Append([]int{id}, false)
}

// Append adds tokens after the prefix in one pass, each attending causally (as if
// they had been generated one by one), and returns the logits of the last one or of
// all of them (len(ids)×vocab). It is what teacher-forced evaluation uses, and the
// cross-check of Extend's KV-cache path.
func (s *Session) Append(ids []int, all bool) ([]float32, error) {
	m := s.m
	if s.n == 0 {
		return nil, fmt.Errorf("append before prefill")
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("append of no tokens")
	}
	if s.n+len(ids) > s.capacity {
		return nil, fmt.Errorf("%d more tokens do not fit: context of %d tokens holds %d", len(ids), s.capacity, s.n)
	}
	for _, id := range ids {
		if id < 0 || id >= m.Config.Text.VocabSize || id == m.Config.ImageTokenIndex {
			return nil, fmt.Errorf("token %d cannot be appended (vocabulary %d)", id, m.Config.Text.VocabSize)
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	W := m.hidden
	h := grow(&s.bufs.h, len(ids)*W)
	for i, id := range ids {
		m.embedRow(h[i*W:(i+1)*W], id, m.eng.rowScratch[0])
	}
	return s.forward(h, len(ids), all)
}

// embedRow writes embed_tokens[id]·√hidden.
func (m *Model) embedRow(dst []float32, id int, scratch []float32) {
	row := m.embed.Row(id, scratch)
	for e, x := range row {
		dst[e] = x * m.embedScale
	}
}

// forward runs the decoder over L new tokens whose input embeddings are in h, appends
// their keys and values to the cache, and returns logits (last token, or all).
func (s *Session) forward(h []float32, L int, all bool) ([]float32, error) {
	m := s.m
	cfg := m.Config
	t := cfg.Text
	W, F := m.hidden, t.Intermediate
	b := &s.bufs
	xn := grow(&b.xn, L*W)
	q := grow(&b.q, L*m.qDim)
	k := grow(&b.k, L*m.kvDim)
	v := grow(&b.v, L*m.kvDim)
	att := grow(&b.att, L*m.qDim)
	tmp := grow(&b.tmp, L*W)
	gate := grow(&b.gate, L*F)
	up := grow(&b.up, L*F)
	start := s.n
	gemma2 := cfg.Family == 2
	hd := t.HeadDim
	total := start + L

	angles := grow(&b.angles, L*hd)
	for i := 0; i < L; i++ {
		m.rope.angles(angles[i*hd:(i+1)*hd], start+i+1) // Hugging Face PaliGemma positions are 1-based
	}
	for li := range m.layers {
		l := &m.layers[li]
		rmsNormRows(xn[:L*W], h[:L*W], l.inNorm, t.RMSNormEps)
		m.eng.linear(q, xn, L, l.q, nil)
		m.eng.linear(k, xn, L, l.k, nil)
		m.eng.linear(v, xn, L, l.v, nil)
		for i := 0; i < L; i++ {
			cs := angles[i*hd : (i+1)*hd]
			for hh := 0; hh < t.Heads; hh++ {
				m.rope.apply(q[i*m.qDim+hh*hd:i*m.qDim+(hh+1)*hd], cs)
			}
			for hh := 0; hh < t.KVHeads; hh++ {
				m.rope.apply(k[i*m.kvDim+hh*hd:i*m.kvDim+(hh+1)*hd], cs)
			}
		}
		for i := 0; i < L; i++ {
			for hh := 0; hh < t.KVHeads; hh++ {
				at := (hh*s.capacity + start + i) * hd
				copy(s.k[li][at:at+hd], k[i*m.kvDim+hh*hd:])
				copy(s.v[li][at:at+hd], v[i*m.kvDim+hh*hd:])
			}
		}
		window := 0
		if l.sliding {
			window = t.SlidingWindow
		}
		if start == 0 && s.prefixLen == L && (window == 0 || L <= window) {
			// Prefill: every token sees every token (no window reaches back past 0).
			s.full.n = L
			s.full.run(q, att, m.qDim, s.k[li], s.v[li], s.capacity*hd, hd)
		} else {
			j := &s.attn
			*j = attnJob{s: s, q: q, att: att, kc: s.k[li], vc: s.v[li], L: L, start: start, total: total, window: window}
			j.blocks = (L + attnQueryBlock - 1) / attnQueryBlock
			j.split = attnSplit(t.Heads/t.KVHeads, t.KVHeads*j.blocks, m.Threads())
			m.eng.pool.Run(t.KVHeads*j.split*j.blocks, j)
		}
		m.eng.linear(tmp, att, L, l.o, nil)
		if gemma2 {
			rmsNormRows(tmp[:L*W], tmp[:L*W], l.postAttnNorm, t.RMSNormEps)
		}
		for i := range h[:L*W] {
			h[i] += tmp[i]
		}
		// Gemma 1 names its pre-MLP norm post_attention_layernorm (PALIGEMMA_SPEC §8.4).
		preMLP := l.postAttnNorm
		if gemma2 {
			preMLP = l.preFFWNorm
		}
		rmsNormRows(xn[:L*W], h[:L*W], preMLP, t.RMSNormEps)
		m.eng.linear(gate, xn, L, l.gate, nil)
		m.eng.linear(up, xn, L, l.up, nil)
		m.eng.geglu(gate, up, t.Activation)
		m.eng.linear(tmp, gate, L, l.down, nil)
		if gemma2 {
			rmsNormRows(tmp[:L*W], tmp[:L*W], l.postFFWNorm, t.RMSNormEps)
		}
		for i := range h[:L*W] {
			h[i] += tmp[i]
		}
		if li == 0 && s.Trace != nil {
			s.Trace.AfterLayer0 = append([]float32(nil), h[:L*W]...)
		}
	}
	s.n = total

	first := L - 1
	if all {
		first = 0
	}
	rows := L - first
	for i := first; i < L; i++ {
		rmsNorm(xn[(i-first)*W:(i-first+1)*W], h[i*W:(i+1)*W], m.finalNorm, t.RMSNormEps)
	}
	if s.Trace != nil && all {
		s.Trace.FinalNorm = append([]float32(nil), xn[:rows*W]...)
	}
	V := m.lmHead.Rows
	var logits []float32
	if all {
		logits = make([]float32, rows*V) // returned to the caller; not reused
	} else {
		logits = grow(&b.logits, V)
	}
	m.eng.linear(logits, xn, rows, m.lmHead, nil)
	if t.FinalSoftcap > 0 {
		m.eng.softcapAll(logits, float32(t.FinalSoftcap))
	}
	return logits, nil
}

// attnQueryBlock is how many queries of one head a task handles: their keys and
// values are then read from L1/L2 once per block rather than per query.
const attnQueryBlock = 16

// attnKeyBlock is the key tile of the online softmax: 64 keys × 256 dims × 4 B =
// 64 KB of keys per tile.
const attnKeyBlock = 64

// attnSplit is how many parts the query heads sharing one key/value head are cut
// into: 1 (every task reads a key and value once for the whole group) unless that
// leaves fewer than two tasks per thread (Gemma 1's single KV head in a decode step).
func attnSplit(group, tasks, threads int) int {
	split := 1
	for split < group && tasks*split < 2*threads {
		split *= 2
	}
	for group%split != 0 {
		split--
	}
	return split
}

// attnJob computes prefix-LM attention for the queries of one forward pass, one task
// per (key/value head, part of its query heads, block of queries). Scores are computed
// a key tile at a time with an online softmax (running max and sum, output rescaled
// when the max grows), so memory stays linear in the sequence and the cache is read as
// a stream; each key and value row is read once for all the query heads that share it
// (grouped-query attention: 2 per KV head in PaliGemma 2 3B, 8 in PaliGemma 1), which
// halved the cache reads of a PaliGemma 2 decode step.
type attnJob struct {
	s                       *Session
	q, att, kc, vc          []float32
	L, start, total, window int
	blocks, split           int // query blocks; parts per KV head's query group
}

func (j *attnJob) Task(task, worker int) {
	s, m := j.s, j.s.m
	t := m.Config.Text
	hd, qDim := t.HeadDim, m.qDim
	group := t.Heads / t.KVHeads
	gs := group / j.split // query heads of this task
	qb := task % j.blocks
	part := task / j.blocks
	kvh, sub := part/j.split, part%j.split
	h0 := kvh*group + sub*gs // first query head
	kc := j.kc[kvh*s.capacity*hd : (kvh+1)*s.capacity*hd]
	vc := j.vc[kvh*s.capacity*hd : (kvh+1)*s.capacity*hd]
	qScale := m.Config.QueryScale()
	softcapV := float32(t.AttnSoftcap)
	sc := s.bufs.scores[worker][:gs*attnKeyBlock]
	runMax, runSum := s.bufs.runMax[worker][:gs], s.bufs.runSum[worker][:gs]
	for i := qb * attnQueryBlock; i < min(j.L, (qb+1)*attnQueryBlock); i++ {
		qi := j.q[i*qDim+h0*hd : i*qDim+(h0+gs)*hd]
		out := j.att[i*qDim+h0*hd : i*qDim+(h0+gs)*hd]
		abs := j.start + i // absolute index of the query
		lo, hi := 0, j.total
		if j.window > 0 {
			lo = max(0, abs-j.window+1) // keys j ≤ i − window are masked
		}
		if abs >= s.prefixLen {
			hi = abs + 1 // generated tokens are causal
		} else {
			hi = min(j.total, max(s.prefixLen, abs+1)) // the prefix sees the whole prefix
		}
		clear(out)
		for g := range runMax {
			runMax[g], runSum[g] = float32(math.Inf(-1)), 0
		}
		for k0 := lo; k0 < hi; k0 += attnKeyBlock {
			n := min(hi, k0+attnKeyBlock) - k0
			for kk := 0; kk < n; kk++ {
				key := kc[(k0+kk)*hd : (k0+kk+1)*hd]
				for g := 0; g < gs; g++ {
					sc[g*attnKeyBlock+kk] = dot(qi[g*hd:(g+1)*hd], key) * qScale
				}
			}
			for g := 0; g < gs; g++ {
				tile := sc[g*attnKeyBlock : g*attnKeyBlock+n]
				if softcapV > 0 {
					simd.SoftcapF32(tile, softcapV) // Gemma 2: before the mask, as the reference
				}
				tileMax := float32(math.Inf(-1))
				for _, x := range tile {
					tileMax = max(tileMax, x)
				}
				if tileMax > runMax[g] {
					// Rescale what was accumulated under the old maximum.
					if runSum[g] > 0 {
						f := simd.Expf(runMax[g] - tileMax)
						simd.ScaleF32(out[g*hd:(g+1)*hd], f)
						runSum[g] *= float64(f)
					}
					runMax[g] = tileMax
				}
				simd.ExpShiftF32(tile, runMax[g])
			}
			for kk := 0; kk < n; kk++ {
				val := vc[(k0+kk)*hd : (k0+kk+1)*hd]
				for g := 0; g < gs; g++ {
					p := sc[g*attnKeyBlock+kk]
					runSum[g] += float64(p)
					simd.AxpyF32(out[g*hd:(g+1)*hd], p, val)
				}
			}
		}
		for g := 0; g < gs; g++ {
			inv := float32(1 / runSum[g])
			o := out[g*hd : (g+1)*hd]
			for e := range o {
				o[e] *= inv
			}
		}
	}
}
