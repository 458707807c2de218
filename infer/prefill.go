package infer

import (
	"fmt"
	"math"
	"time"
)

// A prefill (SigLIP, the projector, the decoder over the whole prompt) can run in
// pieces, so that the batch scheduler can decode other sequences' tokens between
// them. Because the prompt is one bidirectional prefix, it cannot be cut into token
// ranges that each go through every layer (a token's layer-l keys depend on the whole
// prompt's layer l−1); it is cut inside each layer instead, into steps that need no
// more than what the previous steps computed:
//
//   - rows of the normalization and the query/key/value projections,
//   - blocks of queries of the attention (once every row's keys and values exist),
//   - rows of the output projection, the residuals and the MLP.
//
// With Session.Prefill every step covers all rows (one piece per phase, as a prefill
// in one go); for the scheduler a piece is at most pieceRows rows of a linear phase or
// pieceAttnRows queries of an attention phase, whatever the image size. The results
// are the same either way up to the float rounding of a GEMM over fewer rows.
//
// A piece of a linear phase has at least pieceMinRows rows (a shorter tail joins the
// piece before it): the integer kernels switch to their one-token GEMV below 4 rows,
// whose float accumulation differs from the GEMM's, and with pieces of 4 or more rows
// every row's result is the same as in one go.
const (
	// The zmm integer GEMM's largest token block (simd: 256 tokens when the L2 holds
	// them): every token block packs every weight panel once, so a smaller piece made
	// a prefill among decoding sequences slower than alone (a 257-token prompt in 128-row
	// pieces: two packing passes where the whole prefill needs one).
	pieceRows     = 256
	pieceMinRows  = 8
	pieceAttnRows = 2 * fullAttnQueryBlock
)

// pieceEnd is the end of the row piece that starts at r0 (n rows in all, rows per
// piece).
func pieceEnd(r0, rows, n int) int {
	r1 := min(n, r0+rows)
	if n-r1 < pieceMinRows {
		r1 = n
	}
	return r1
}

// visionRun is SigLIP and the projector as a sequence of pieces.
type visionRun struct {
	m                  *Model
	rows, attnRows     int // rows per piece of a linear phase, queries per attention piece
	n                  int // patches
	patches            []float32
	x, xn, q, k, val   []float32
	att, tmp, hid      []float32
	proj               []float32
	va                 fullAttention
	stage, layer, next int
	out                *ImageFeatures
}

const (
	vEmbed = iota
	vQKV
	vAttn
	vRest
	vProj
	vDone
)

// newVisionRun prepares the encoding of pixels (checked by the caller) in pieces of
// rows rows (0: all).
func (m *Model) newVisionRun(pixels []float32, rows int) *visionRun {
	v := m.Config.Vision
	s, p, c := v.ImageSize, v.PatchSize, v.Channels
	grid := s / p
	n := grid * grid
	d := v.Hidden
	patchLen := c * p * p
	// Patches in row-major order, each flattened in (channel, y, x) order to match the
	// [D, C, P, P] convolution weight read as a [D, C·P·P] matrix.
	patches := make([]float32, n*patchLen)
	for py := 0; py < grid; py++ {
		for px := 0; px < grid; px++ {
			dst := patches[(py*grid+px)*patchLen:]
			i := 0
			for ch := 0; ch < c; ch++ {
				for y := 0; y < p; y++ {
					row := pixels[ch*s*s+(py*p+y)*s+px*p:]
					copy(dst[i:i+p], row[:p])
					i += p
				}
			}
		}
	}
	r := &visionRun{m: m, n: n, patches: patches, rows: n, attnRows: n}
	if rows > 0 {
		r.rows, r.attnRows = max(rows, pieceMinRows), pieceAttnRows
	}
	r.x = make([]float32, n*d)
	r.xn = make([]float32, n*d)
	r.q = make([]float32, n*d)
	r.k = make([]float32, n*d)
	r.val = make([]float32, n*d)
	r.att = make([]float32, n*d)
	r.tmp = make([]float32, n*d)
	r.hid = make([]float32, n*v.Intermediate)
	r.proj = make([]float32, n*m.hidden)
	// SigLIP's attention is full and bidirectional: every patch sees every patch.
	r.va = fullAttention{pool: m.eng.pool, n: n, hd: m.visionHeadDim, heads: v.Heads, group: 1, scale: m.visionScale}
	return r
}

// advance moves to the next piece of a row phase: r1 rows are done.
func (r *visionRun) advance(r1, stage int) {
	if r1 < r.n {
		r.next = r1
		return
	}
	r.next, r.stage = 0, stage
}

// unit runs one piece; m.mu is held.
func (r *visionRun) unit() {
	m, n := r.m, r.n
	m.eng.pool.Hold()
	defer m.eng.pool.Release()
	v := m.Config.Vision
	d := v.Hidden
	r0, r1 := r.next, pieceEnd(r.next, r.rows, n)
	switch r.stage {
	case vEmbed:
		pl := v.Channels * v.PatchSize * v.PatchSize
		m.eng.linear(r.x[r0*d:], r.patches[r0*pl:], r1-r0, m.patchW, m.patchB)
		m.eng.add(r.x[r0*d:r1*d], m.posEmb[r0*d:r1*d])
		r.advance(r1, vQKV)
	case vQKV:
		l := &m.vision[r.layer]
		m.eng.layerNormRows(r.xn[r0*d:r1*d], r.x[r0*d:r1*d], l.ln1W, l.ln1B, v.LayerNormEps)
		m.eng.linearSet(r.xn[r0*d:], r1-r0, []linearOut{{r.q[r0*d:], l.q, l.qB}, {r.k[r0*d:], l.k, l.kB}, {r.val[r0*d:], l.v, l.vB}})
		r.advance(r1, vAttn)
	case vAttn:
		if r.next == 0 {
			r.va.pack(r.q, r.att, d, r.k, r.val, m.visionHeadDim, d)
		}
		blocks := r.va.blocks()
		b1 := min(blocks, r.next+(r.attnRows+fullAttnQueryBlock-1)/fullAttnQueryBlock)
		r.va.attend(r.next, b1)
		r.next = b1
		if b1 == blocks {
			r.va.release()
			r.next, r.stage = 0, vRest
		}
	case vRest:
		l := &m.vision[r.layer]
		x, xn, tmp := r.x[r0*d:r1*d], r.xn[r0*d:r1*d], r.tmp[r0*d:r1*d]
		m.eng.linear(tmp, r.att[r0*d:], r1-r0, l.o, l.oB)
		m.eng.add(x, tmp)
		m.eng.layerNormRows(xn, x, l.ln2W, l.ln2B, v.LayerNormEps)
		hid := r.hid[r0*v.Intermediate : r1*v.Intermediate]
		m.eng.linear(hid, xn, r1-r0, l.fc1, l.fc1B)
		m.eng.geglu(hid, nil, v.Activation)
		m.eng.linear(tmp, hid, r1-r0, l.fc2, l.fc2B)
		m.eng.add(x, tmp)
		next := vQKV
		if r.layer+1 == len(m.vision) {
			next = vProj
		}
		r.advance(r1, next)
		if r.stage == vQKV && r.next == 0 {
			r.layer++
		}
	case vProj:
		m.eng.layerNormRows(r.x[r0*d:r1*d], r.x[r0*d:r1*d], m.postLNW, m.postLNB, v.LayerNormEps)
		m.eng.linear(r.proj[r0*m.hidden:], r.x[r0*d:], r1-r0, m.proj, m.projB)
		r.advance(r1, vDone)
		if r.stage == vDone {
			r.out = &ImageFeatures{VisionOut: r.x, Projected: r.proj}
			r.patches, r.xn, r.q, r.k, r.val, r.att, r.tmp, r.hid = nil, nil, nil, nil, nil, nil, nil, nil
		}
	}
}

// prefillRun is a session's prefill as a sequence of pieces (see the top of this
// file). Make it with Session.newPrefillRun, run unit until done with the model's
// lock held for each, then read logits.
type prefillRun struct {
	s              *Session
	ids            []int
	all            bool
	rows, attnRows int
	pieces         bool // made for the scheduler: release the prompt's buffers at the end
	vis            *visionRun
	img            *ImageFeatures
	stage, layer   int
	next           int
	logits         []float32
}

const (
	pVision = iota
	pMerge
	pQKV
	pAttn
	pRest
	pLogits
	pDone
)

// newPrefillRun checks the prompt and prepares its prefill in pieces of rows rows (0:
// every phase in one piece). The session is then busy until the run is done.
func (s *Session) newPrefillRun(pixels []float32, img *ImageFeatures, ids []int, all bool, rows int) (*prefillRun, error) {
	nImg, err := s.checkPrompt(pixels, img, ids)
	if err != nil {
		return nil, err
	}
	m := s.m
	L := len(ids)
	p := &prefillRun{s: s, ids: ids, all: all, img: img, rows: L, attnRows: L, stage: pMerge}
	if rows > 0 {
		p.rows, p.attnRows, p.pieces = max(rows, pieceMinRows), pieceAttnRows, true
	}
	if nImg > 0 && img == nil {
		p.vis = m.newVisionRun(pixels, rows)
		p.stage = pVision
	}
	s.bufs.size(m, L)
	hd := m.Config.Text.HeadDim
	for i := 0; i < L; i++ {
		m.rope.angles(s.bufs.angles[i*hd:(i+1)*hd], i+1) // Hugging Face PaliGemma positions are 1-based
	}
	s.prefixLen = L
	s.prefilling = true
	s.VisionTime = 0
	return p, nil
}

func (p *prefillRun) done() bool { return p.stage == pDone }

// whole makes the remaining pieces as large as a prefill in one go (every row of a
// phase at once); the results stay the same (see pieceMinRows).
func (p *prefillRun) whole() {
	p.rows, p.attnRows = len(p.ids), len(p.ids)
	if p.vis != nil {
		p.vis.rows, p.vis.attnRows = p.vis.n, p.vis.n
	}
}

// unit runs one piece; the model's lock is held.
func (p *prefillRun) unit() {
	s := p.s
	m := s.m
	m.eng.pool.Hold()
	defer m.eng.pool.Release()
	cfg := m.Config
	t := cfg.Text
	L, W := len(p.ids), m.hidden
	b := &s.bufs
	r0, r1 := p.next, pieceEnd(p.next, p.rows, L)
	switch p.stage {
	case pVision:
		t0 := time.Now()
		p.vis.unit()
		s.VisionTime += time.Since(t0)
		if p.vis.stage == vDone {
			p.img, p.vis = p.vis.out, nil
			p.stage = pMerge
		}
	case pMerge:
		h := b.h[:L*W]
		if p.img != nil {
			// HF divides the projector output by √hidden and then multiplies every
			// input embedding by the same normalizer; in float32 the round trip is
			// not exactly the identity, so do both.
			invScale := float32(1 / math.Sqrt(float64(W)))
			scaled := make([]float32, len(p.img.Projected))
			for i, x := range p.img.Projected {
				scaled[i] = x * invScale
			}
			slot := 0
			for i, id := range p.ids {
				if id == cfg.ImageTokenIndex {
					src := scaled[slot*W : (slot+1)*W]
					for e, x := range src {
						h[i*W+e] = x * m.embedScale
					}
					slot++
				}
			}
			if s.Trace != nil {
				s.Trace.Image, s.Trace.ImageScaled = p.img, scaled
			}
		}
		for i, id := range p.ids {
			if id != cfg.ImageTokenIndex {
				m.embedRow(h[i*W:(i+1)*W], id, m.eng.rowScratch[0])
			}
		}
		if s.Trace != nil {
			s.Trace.DecoderInput = append([]float32(nil), h...)
		}
		p.img = nil
		p.stage, p.layer, p.next = pQKV, 0, 0
	case pQKV:
		m.decoderQKV(&m.layers[p.layer], b, r0, r1)
		for i := r0; i < r1; i++ {
			s.storeKV(p.layer, b, i, i)
		}
		p.advance(r1, pAttn)
	case pAttn:
		li := p.layer
		hd := t.HeadDim
		if w := m.window(&m.layers[li]); w == 0 || L <= w {
			// Every token sees every token (no window reaches back past 0).
			f := &s.full
			if p.next == 0 {
				f.n = L
				f.pack(b.q, b.att, m.qDim, s.k[li], s.v[li], s.capacity*hd, hd)
			}
			blocks := f.blocks()
			b1 := min(blocks, p.next+(p.attnRows+fullAttnQueryBlock-1)/fullAttnQueryBlock)
			f.attend(p.next, b1)
			p.next = b1
			if b1 == blocks {
				f.release()
				p.stage, p.next = pRest, 0
			}
		} else {
			blocks := (L + attnQueryBlock - 1) / attnQueryBlock
			b1 := min(blocks, p.next+(p.attnRows+attnQueryBlock-1)/attnQueryBlock)
			j := &s.attn
			*j = attnJob{s: s, sc: &s.scratch, q: b.q, att: b.att, kc: s.k[li], vc: s.v[li], L: L, total: L, window: w, first: p.next, blocks: b1 - p.next}
			j.split = attnSplit(t.Heads/t.KVHeads, t.KVHeads*j.blocks, m.Threads())
			m.eng.pool.Run(t.KVHeads*j.split*j.blocks, j)
			j.s, j.sc, j.q, j.att, j.kc, j.vc = nil, nil, nil, nil, nil, nil
			p.next = b1
			if b1 == blocks {
				p.stage, p.next = pRest, 0
			}
		}
	case pRest:
		m.decoderRest(&m.layers[p.layer], b, r0, r1)
		if r1 < L {
			p.next = r1
			return
		}
		if p.layer == 0 && s.Trace != nil {
			s.Trace.AfterLayer0 = append([]float32(nil), b.h[:L*W]...)
		}
		p.next = 0
		if p.layer++; p.layer < len(m.layers) {
			p.stage = pQKV
		} else {
			p.stage = pLogits
		}
	case pLogits:
		first := L - 1
		if p.all {
			first = 0
		}
		p.logits = m.logitsOf(b, first, L, p.all, s.Trace)
		s.n, s.prefilling = L, false
		p.stage = pDone
		if p.pieces {
			// In pieces (the scheduler's sessions) the prompt's activations are not
			// needed again: decode steps use the batch's buffers.
			s.bufs = fwdBufs{logits: b.logits}
			s.full.kh, s.full.vt, s.full.sc = nil, nil, nil
		}
	}
}

// advance moves to the next piece of a row phase: r1 rows are done.
func (p *prefillRun) advance(r1, stage int) {
	if r1 < len(p.ids) {
		p.next = r1
		return
	}
	p.next, p.stage = 0, stage
}

// checkPixels reports whether pixels hold one image at the model's resolution.
func (m *Model) checkPixels(pixels []float32) error {
	v := m.Config.Vision
	if want := v.Channels * v.ImageSize * v.ImageSize; len(pixels) != want {
		return fmt.Errorf("pixel values: got %d floats, want %d×%d×%d = %d", len(pixels), v.Channels, v.ImageSize, v.ImageSize, want)
	}
	return nil
}
