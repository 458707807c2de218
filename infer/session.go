package infer

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
	// prefilling is set while a prefill runs in pieces (see prefillRun).
	prefilling bool
	Trace      *Trace
	// VisionTime is how long the last Prefill spent in the vision tower.
	VisionTime time.Duration

	// Buffers reused across Extend calls so decoding a token allocates nothing.
	attn attnJob
	full fullAttention // prefill's attention: the whole prompt is one prefix

	bufs    fwdBufs
	scratch attnScratch
}

// fwdBufs are the activations of one forward pass over L rows (row i of each at
// i·width).
type fwdBufs struct {
	h, xn, q, k, v, att, tmp, gate, up, logits []float32
	angles                                     []float32 // RoPE cos/sin per row
}

// size makes every buffer hold L rows.
func (b *fwdBufs) size(m *Model, L int) {
	W, F := m.hidden, m.Config.Text.Intermediate
	grow(&b.h, L*W)
	grow(&b.xn, L*W)
	grow(&b.q, L*m.qDim)
	grow(&b.k, L*m.kvDim)
	grow(&b.v, L*m.kvDim)
	grow(&b.att, L*m.qDim)
	grow(&b.tmp, L*W)
	grow(&b.gate, L*F)
	grow(&b.up, L*F)
	grow(&b.angles, L*m.Config.Text.HeadDim)
}

// attnScratch is the KV-cache attention's per-worker scratch.
type attnScratch struct {
	scores, runMax [][]float32 // per worker
	runSum         [][]float64
}

func newAttnScratch(m *Model) attnScratch {
	t := m.Config.Text
	group := t.Heads / t.KVHeads
	var a attnScratch
	a.scores = make([][]float32, m.Threads())
	a.runMax = make([][]float32, m.Threads())
	a.runSum = make([][]float64, m.Threads())
	for i := range a.scores {
		a.scores[i] = make([]float32, group*attnKeyBlock) // one key tile of scores per head
		a.runMax[i] = make([]float32, group)
		a.runSum[i] = make([]float64, group)
	}
	return a
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
		k, v := make([]float32, capacity*m.kvDim), make([]float32, capacity*m.kvDim)
		// Touch every page now (memory fresh from the OS is not yet mapped): each
		// decode step writes a new position into every head's region, and faulting
		// those pages in one at a time cost a batched step of 4 sequences ~3 ms
		// (3B, 208 regions); here it is ~2 ms once per 20 MiB session.
		clear(k)
		clear(v)
		s.k, s.v = append(s.k, k), append(s.v, v)
	}
	t := m.Config.Text
	group := t.Heads / t.KVHeads
	s.full = fullAttention{pool: m.eng.pool, hd: t.HeadDim, heads: t.Heads, group: group,
		scale: m.Config.QueryScale(), softcap: float32(t.AttnSoftcap)}
	s.scratch = newAttnScratch(m)
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
	p, err := s.newPrefillRun(pixels, img, ids, all, 0)
	if err != nil {
		return nil, err
	}
	m := s.m
	m.mu.Lock()
	defer m.mu.Unlock()
	for !p.done() {
		p.unit()
	}
	return p.logits, nil
}

// checkPrompt validates a prompt for a prefill of s and counts its image slots.
func (s *Session) checkPrompt(pixels []float32, img *ImageFeatures, ids []int) (nImg int, err error) {
	if s.n != 0 || s.prefilling {
		return 0, fmt.Errorf("prefill on a session that already holds %d tokens", max(s.n, 1))
	}
	cfg := s.m.Config
	L := len(ids)
	if L == 0 {
		return 0, fmt.Errorf("empty prompt")
	}
	if L > s.capacity {
		return 0, fmt.Errorf("prompt of %d tokens does not fit the context of %d tokens", L, s.capacity)
	}
	for i, id := range ids {
		if id == cfg.ImageTokenIndex {
			nImg++
		} else if id < 0 || id >= cfg.Text.VocabSize {
			return 0, fmt.Errorf("token %d at position %d is outside the vocabulary of %d", id, i, cfg.Text.VocabSize)
		}
	}
	W := s.m.hidden
	if nImg > 0 {
		if nImg != cfg.NumImageTokens() {
			return 0, fmt.Errorf("prompt has %d image slots, the model takes %d per image", nImg, cfg.NumImageTokens())
		}
		if pixels == nil && img == nil {
			return 0, fmt.Errorf("prompt has image slots but no image was given")
		}
		if img != nil && len(img.Projected) != nImg*W {
			return 0, fmt.Errorf("image features hold %d values, the prompt's %d slots take %d", len(img.Projected), nImg, nImg*W)
		}
		if img == nil {
			if err := s.m.checkPixels(pixels); err != nil {
				return 0, err
			}
		}
	}
	return nImg, nil
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
	if s.n == 0 || s.prefilling {
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
	s.bufs.size(m, len(ids))
	for i, id := range ids {
		m.embedRow(s.bufs.h[i*W:(i+1)*W], id, m.eng.rowScratch[0])
	}
	return s.forward(len(ids), all)
}

// embedRow writes embed_tokens[id]·√hidden.
func (m *Model) embedRow(dst []float32, id int, scratch []float32) {
	row := m.embed.Row(id, scratch)
	for e, x := range row {
		dst[e] = x * m.embedScale
	}
}

// forward runs the decoder over L new tokens whose input embeddings are in s.bufs.h,
// appends their keys and values to the cache, and returns logits (last token, or
// all). Prefill runs the same layer steps through a prefillRun.
func (s *Session) forward(L int, all bool) ([]float32, error) {
	m := s.m
	t := m.Config.Text
	b := &s.bufs
	start := s.n
	hd := t.HeadDim
	total := start + L
	m.eng.pool.Hold()
	defer m.eng.pool.Release()
	for i := 0; i < L; i++ {
		m.rope.angles(b.angles[i*hd:(i+1)*hd], start+i+1) // Hugging Face PaliGemma positions are 1-based
	}
	for li := range m.layers {
		l := &m.layers[li]
		m.decoderQKV(l, b, 0, L)
		for i := 0; i < L; i++ {
			s.storeKV(li, b, i, start+i)
		}
		j := &s.attn
		*j = attnJob{s: s, sc: &s.scratch, q: b.q, att: b.att, kc: s.k[li], vc: s.v[li], L: L, start: start, total: total, window: m.window(l)}
		j.blocks = (L + attnQueryBlock - 1) / attnQueryBlock
		j.split = attnSplit(t.Heads/t.KVHeads, t.KVHeads*j.blocks, m.Threads())
		m.eng.pool.Run(t.KVHeads*j.split*j.blocks, j)
		j.s, j.sc, j.q, j.att, j.kc, j.vc = nil, nil, nil, nil, nil, nil
		m.decoderRest(l, b, 0, L)
	}
	s.n = total
	first := L - 1
	if all {
		first = 0
	}
	return m.logitsOf(b, first, L, all, nil), nil
}

// window is a layer's sliding window (0: none).
func (m *Model) window(l *decoderLayer) int {
	if l.sliding {
		return m.Config.Text.SlidingWindow
	}
	return 0
}

// decoderQKV computes rows [r0, r1) of a layer's queries, keys and values (RoPE
// applied, from b.angles) from the residual stream b.h.
func (m *Model) decoderQKV(l *decoderLayer, b *fwdBufs, r0, r1 int) {
	t := m.Config.Text
	W, hd, n := m.hidden, t.HeadDim, r1-r0
	m.eng.rmsNormRows(b.xn[r0*W:r1*W], b.h[r0*W:r1*W], l.inNorm, t.RMSNormEps)
	m.eng.linearSet(b.xn[r0*W:], n, []linearOut{{y: b.q[r0*m.qDim:], w: l.q}, {y: b.k[r0*m.kvDim:], w: l.k}, {y: b.v[r0*m.kvDim:], w: l.v}})
	for i := r0; i < r1; i++ {
		cs := b.angles[i*hd : (i+1)*hd]
		for hh := 0; hh < t.Heads; hh++ {
			m.rope.apply(b.q[i*m.qDim+hh*hd:i*m.qDim+(hh+1)*hd], cs)
		}
		for hh := 0; hh < t.KVHeads; hh++ {
			m.rope.apply(b.k[i*m.kvDim+hh*hd:i*m.kvDim+(hh+1)*hd], cs)
		}
	}
}

// storeKV copies row i of b's keys and values into layer li's cache at position pos.
func (s *Session) storeKV(li int, b *fwdBufs, i, pos int) {
	m := s.m
	hd := m.Config.Text.HeadDim
	for hh := 0; hh < m.Config.Text.KVHeads; hh++ {
		at := (hh*s.capacity + pos) * hd
		copy(s.k[li][at:at+hd], b.k[i*m.kvDim+hh*hd:])
		copy(s.v[li][at:at+hd], b.v[i*m.kvDim+hh*hd:])
	}
}

// decoderRest finishes rows [r0, r1) of a layer once their attention output is in
// b.att: output projection, norms, residuals and the MLP.
func (m *Model) decoderRest(l *decoderLayer, b *fwdBufs, r0, r1 int) {
	t := m.Config.Text
	W, F, n := m.hidden, t.Intermediate, r1-r0
	gemma2 := m.Config.Family == 2
	h, tmp, xn := b.h[r0*W:r1*W], b.tmp[r0*W:r1*W], b.xn[r0*W:r1*W]
	m.eng.linear(tmp, b.att[r0*m.qDim:], n, l.o, nil)
	if gemma2 {
		m.eng.rmsNormRows(tmp, tmp, l.postAttnNorm, t.RMSNormEps)
	}
	m.eng.add(h, tmp)
	// Gemma 1 names its pre-MLP norm post_attention_layernorm (PALIGEMMA_SPEC §8.4).
	preMLP := l.postAttnNorm
	if gemma2 {
		preMLP = l.preFFWNorm
	}
	m.eng.rmsNormRows(xn, h, preMLP, t.RMSNormEps)
	gate, up := b.gate[r0*F:r1*F], b.up[r0*F:r1*F]
	m.eng.linearSet(xn, n, []linearOut{{y: gate, w: l.gate}, {y: up, w: l.up}})
	m.eng.geglu(gate, up, t.Activation)
	m.eng.linear(tmp, gate, n, l.down, nil)
	if gemma2 {
		m.eng.rmsNormRows(tmp, tmp, l.postFFWNorm, t.RMSNormEps)
	}
	m.eng.add(h, tmp)
}

// logitsOf returns the logits of rows [first, L) of b.h after the final norm:
// fresh memory when all is set, otherwise b.logits (reused). trace, when set, gets
// the normed rows.
func (m *Model) logitsOf(b *fwdBufs, first, L int, all bool, trace *Trace) []float32 {
	t := m.Config.Text
	W := m.hidden
	rows := L - first
	for i := first; i < L; i++ {
		rmsNorm(b.xn[(i-first)*W:(i-first+1)*W], b.h[i*W:(i+1)*W], m.finalNorm, t.RMSNormEps)
	}
	if trace != nil && all {
		trace.FinalNorm = append([]float32(nil), b.xn[:rows*W]...)
	}
	V := m.lmHead.Rows
	var logits []float32
	if all {
		logits = make([]float32, rows*V) // returned to the caller; not reused
	} else {
		logits = grow(&b.logits, rows*V)
	}
	m.eng.linear(logits, b.xn, rows, m.lmHead, nil)
	if t.FinalSoftcap > 0 {
		m.eng.softcapAll(logits, float32(t.FinalSoftcap))
	}
	return logits
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
	sc                      *attnScratch
	q, att, kc, vc          []float32
	L, start, total, window int
	first                   int // first query block (a prefill in pieces runs a range)
	blocks, split           int // query blocks; parts per KV head's query group
}

func (j *attnJob) Task(task, worker int) {
	s, m := j.s, j.s.m
	t := m.Config.Text
	hd, qDim := t.HeadDim, m.qDim
	group := t.Heads / t.KVHeads
	gs := group / j.split // query heads of this task
	qb := j.first + task%j.blocks
	part := task / j.blocks
	kvh, sub := part/j.split, part%j.split
	h0 := kvh*group + sub*gs // first query head
	kc := j.kc[kvh*s.capacity*hd : (kvh+1)*s.capacity*hd]
	vc := j.vc[kvh*s.capacity*hd : (kvh+1)*s.capacity*hd]
	for i := qb * attnQueryBlock; i < min(j.L, (qb+1)*attnQueryBlock); i++ {
		attendQuery(s, j.sc, worker, kc, vc, j.q[i*qDim+h0*hd:i*qDim+(h0+gs)*hd], j.att[i*qDim+h0*hd:i*qDim+(h0+gs)*hd], j.start+i, j.total, j.window)
	}
}

// attendQuery computes the attention output (out) of the query heads in qi (gs heads
// sharing one key/value head, whose cache rows are kc and vc) for the query at
// absolute position abs of session s, which holds total keys.
//
// Per key tile and head the scores come from one GemmF32 (4 keys per kernel call) and
// the values are summed by AxpyRowsF32 (each 64-value chunk of out in registers
// across the tile's keys): one PaliGemma 2 3B layer's 4 key/value heads at 274 keys
// took 288 → 145–160 µs on one thread of the 2026-12-07 Xeon with the cache in L3
// (117 → 95 µs from L2), against a DotF32 and an AxpyF32 per key and head.
func attendQuery(s *Session, a *attnScratch, worker int, kc, vc, qi, out []float32, abs, total, window int) {
	m := s.m
	t := m.Config.Text
	hd := t.HeadDim
	gs := len(qi) / hd
	qScale := m.Config.QueryScale()
	softcapV := float32(t.AttnSoftcap)
	sc := a.scores[worker][:gs*attnKeyBlock]
	runMax, runSum := a.runMax[worker][:gs], a.runSum[worker][:gs]
	{
		lo, hi := 0, total
		if window > 0 {
			lo = max(0, abs-window+1) // keys j ≤ i − window are masked
		}
		if abs >= s.prefixLen {
			hi = abs + 1 // generated tokens are causal
		} else {
			hi = min(total, max(s.prefixLen, abs+1)) // the prefix sees the whole prefix
		}
		clear(out)
		for g := range runMax {
			runMax[g], runSum[g] = float32(math.Inf(-1)), 0
		}
		for k0 := lo; k0 < hi; k0 += attnKeyBlock {
			n := min(hi, k0+attnKeyBlock) - k0
			for g := 0; g < gs; g++ {
				// One head per call: its scores then have the same bits whatever the
				// number of heads a task takes (attnSplit depends on the batch).
				tile := sc[g*attnKeyBlock : g*attnKeyBlock+n]
				simd.GemmF32(tile, n, qi[g*hd:(g+1)*hd], 1, kc[k0*hd:(k0+n)*hd], n, hd)
				simd.ScaleF32(tile, qScale)
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
			for g := 0; g < gs; g++ {
				p := sc[g*attnKeyBlock : g*attnKeyBlock+n]
				for _, x := range p {
					runSum[g] += float64(x)
				}
				simd.AxpyRowsF32(out[g*hd:(g+1)*hd], p, vc[k0*hd:(k0+n)*hd])
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
