package runtime

import (
	"fmt"

	"github.com/pgedge/pgedge/simd"
)

// ImageFeatures is the vision side of one image.
type ImageFeatures struct {
	VisionOut []float32 // SigLIP output after post_layernorm, N×vision_hidden
	Projected []float32 // projector output, N×text_hidden (before any scaling)
}

// EncodeImage runs SigLIP and the projector on CHW float32 pixel values in [-1, 1]
// (3×S×S at the checkpoint's resolution).
func (m *Model) EncodeImage(pixels []float32) (*ImageFeatures, error) {
	v := m.Config.Vision
	s, p, c := v.ImageSize, v.PatchSize, v.Channels
	if len(pixels) != c*s*s {
		return nil, fmt.Errorf("pixel values: got %d floats, want %d×%d×%d = %d", len(pixels), c, s, s, c*s*s)
	}
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
	x := make([]float32, n*d)
	m.eng.linear(x, patches, n, m.patchW, m.patchB)
	for i := range x {
		x[i] += m.posEmb[i]
	}

	xn := make([]float32, n*d)
	q := make([]float32, n*d)
	k := make([]float32, n*d)
	val := make([]float32, n*d)
	att := make([]float32, n*d)
	tmp := make([]float32, n*d)
	hid := make([]float32, n*v.Intermediate)
	va := newVisionAttention(m, n)
	for _, l := range m.vision {
		layerNormRows(xn, x, l.ln1W, l.ln1B, v.LayerNormEps)
		m.eng.linear(q, xn, n, l.q, l.qB)
		m.eng.linear(k, xn, n, l.k, l.kB)
		m.eng.linear(val, xn, n, l.v, l.vB)
		va.run(q, k, val, att)
		m.eng.linear(tmp, att, n, l.o, l.oB)
		for i := range x {
			x[i] += tmp[i]
		}
		layerNormRows(xn, x, l.ln2W, l.ln2B, v.LayerNormEps)
		m.eng.linear(hid, xn, n, l.fc1, l.fc1B)
		m.eng.geglu(hid, nil, v.Activation)
		m.eng.linear(tmp, hid, n, l.fc2, l.fc2B)
		for i := range x {
			x[i] += tmp[i]
		}
	}
	layerNormRows(x, x, m.postLNW, m.postLNB, v.LayerNormEps)
	proj := make([]float32, n*m.hidden)
	m.eng.linear(proj, x, n, m.proj, m.projB)
	return &ImageFeatures{VisionOut: x, Projected: proj}, nil
}

// visionAttention is SigLIP's full bidirectional attention (every patch sees every
// patch) as two matrix products per head and block of queries: S = Q·Kᵀ through
// simd.GemmF32, a softmax per row, then S·V against Vᵀ packed once per head. Done a
// score and a value row at a time it ran at dot-product speed: at 448 px (1024
// patches, 65 G multiply-adds of attention per image) about as long as all the linear
// layers together. Query blocks keep the score buffers at visionQueryBlock × n, so
// memory stays linear in the patch count (896 px: 4096 patches, 1.5 MB per thread).
type visionAttention struct {
	m         *Model
	n, d, hd  int
	heads     int
	kh, vt    []float32   // per head: n×hd keys, hd×n values transposed
	qb, sc    [][]float32 // per worker: query block, scores
	q, k, val []float32   // the current layer's projections (n×d)
	att       []float32
	packing   bool
}

// visionQueryBlock is the queries per task: a multiple of the float GEMM's 6-token
// micro-tile.
const visionQueryBlock = 96

func newVisionAttention(m *Model, n int) *visionAttention {
	v := m.Config.Vision
	a := &visionAttention{m: m, n: n, d: v.Hidden, hd: m.visionHeadDim, heads: v.Heads}
	a.kh = make([]float32, n*v.Hidden)
	a.vt = make([]float32, n*v.Hidden)
	for range m.Threads() {
		a.qb = append(a.qb, make([]float32, visionQueryBlock*a.hd))
		a.sc = append(a.sc, make([]float32, visionQueryBlock*n))
	}
	return a
}

func (a *visionAttention) run(q, k, val, att []float32) {
	a.q, a.k, a.val, a.att = q, k, val, att
	a.packing = true
	a.m.eng.pool.Run(a.heads, a)
	a.packing = false
	blocks := (a.n + visionQueryBlock - 1) / visionQueryBlock
	a.m.eng.pool.Run(a.heads*blocks, a)
	a.q, a.k, a.val, a.att = nil, nil, nil, nil
}

// Task packs one head's keys and transposed values (packing step), or computes one
// head's outputs for one block of queries.
func (a *visionAttention) Task(task, worker int) {
	n, d, hd := a.n, a.d, a.hd
	if a.packing {
		h := task
		kh, vt := a.kh[h*n*hd:(h+1)*n*hd], a.vt[h*n*hd:(h+1)*n*hd]
		for j := 0; j < n; j++ {
			copy(kh[j*hd:(j+1)*hd], a.k[j*d+h*hd:])
			for e, x := range a.val[j*d+h*hd : j*d+(h+1)*hd] {
				vt[e*n+j] = x
			}
		}
		return
	}
	blocks := (n + visionQueryBlock - 1) / visionQueryBlock
	h, b := task/blocks, task%blocks
	i0 := b * visionQueryBlock
	rows := min(n, i0+visionQueryBlock) - i0
	qb := a.qb[worker][:rows*hd]
	for i := 0; i < rows; i++ {
		copy(qb[i*hd:(i+1)*hd], a.q[(i0+i)*d+h*hd:])
	}
	sc := a.sc[worker][:rows*n]
	simd.GemmF32(sc, n, qb, rows, a.kh[h*n*hd:(h+1)*n*hd], n, hd)
	for i := 0; i < rows; i++ {
		row := sc[i*n : (i+1)*n]
		for j := range row {
			row[j] *= a.m.visionScale
		}
		softmaxInPlace(row)
	}
	simd.GemmF32(a.att[i0*d+h*hd:], d, sc, rows, a.vt[h*n*hd:(h+1)*n*hd], hd, n)
}
