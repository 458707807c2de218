package infer

import (
	"math"

	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/simd"
)

// The elementwise operations of the reference path. Statistics (means, variances,
// softmax sums) accumulate in float64 so the f32 path stays within ~1e-7 of the
// float64 answer; the results are stored as float32 like the reference's.

// rmsNorm writes x·rsqrt(mean(x²)+eps)·(1+w) (Gemma's form: weights are stored as w,
// applied as 1+w).
func rmsNorm(dst, x, w []float32, eps float64) {
	var ss float64
	for _, v := range x {
		ss += float64(v) * float64(v)
	}
	rmsScale(dst, x, w, rmsInv(ss, len(x), eps))
}

func rmsInv(ss float64, n int, eps float64) float32 { return float32(1 / math.Sqrt(ss/float64(n)+eps)) }

func rmsScale(dst, x, w []float32, inv float32) {
	for i, v := range x {
		dst[i] = (v * inv) * (1 + w[i])
	}
}

// rmsNormRows applies rmsNorm to each of the len(x)/len(w) rows of x, bit for bit:
// each row's sum of squares is one float64 chain in index order, and 4 rows'
// chains are interleaved so that they overlap (one waits ~4 cycles per value;
// BenchmarkNormRows: 256 rows of 2304 674–693 → 558–574 µs, LayerNorm 256 rows of
// 1152 583–590 → 443 µs).
func rmsNormRows(dst, x, w []float32, eps float64) {
	n := len(w)
	i := 0
	for ; i+4*n <= len(x); i += 4 * n {
		x0, x1, x2, x3 := x[i:i+n], x[i+n:i+2*n], x[i+2*n:i+3*n], x[i+3*n:i+4*n]
		var s0, s1, s2, s3 float64
		for j, v := range x0 {
			s0 += float64(v) * float64(v)
			s1 += float64(x1[j]) * float64(x1[j])
			s2 += float64(x2[j]) * float64(x2[j])
			s3 += float64(x3[j]) * float64(x3[j])
		}
		rmsScale(dst[i:i+n], x0, w, rmsInv(s0, n, eps))
		rmsScale(dst[i+n:i+2*n], x1, w, rmsInv(s1, n, eps))
		rmsScale(dst[i+2*n:i+3*n], x2, w, rmsInv(s2, n, eps))
		rmsScale(dst[i+3*n:i+4*n], x3, w, rmsInv(s3, n, eps))
	}
	for ; i+n <= len(x); i += n {
		rmsNorm(dst[i:i+n], x[i:i+n], w, eps)
	}
}

// eachJob runs f(task) for the tasks of a Pool.Run (engine.runEach).
type eachJob struct{ f func(int) }

func (j *eachJob) Task(task, _ int) { j.f(task) }

// runEach calls f(i) for i in [0, n) across the pool (simd.QPanels.PrepareWith).
func (e *engine) runEach(n int, f func(int)) {
	e.each.f = f
	e.pool.Run(n, &e.each)
	e.each.f = nil
}

// normJob applies rmsNorm (b nil) or layerNorm to rows of x, rowChunk per task.
type normJob struct {
	dst, x, w, b []float32
	eps          float64
}

func (j *normJob) Task(task, _ int) {
	n := rowChunk * len(j.w)
	j.apply(task*n, min((task+1)*n, len(j.x)))
}

// apply normalizes the rows in x[lo:hi].
func (j *normJob) apply(lo, hi int) {
	if j.b == nil {
		rmsNormRows(j.dst[lo:hi], j.x[lo:hi], j.w, j.eps)
	} else {
		layerNormRows(j.dst[lo:hi], j.x[lo:hi], j.w, j.b, j.eps)
	}
}

// rmsNormRows is rmsNormRows on the worker pool when there are many rows (a prefill:
// ~0.2 ms of 256 rows that the other threads would wait for).
func (e *engine) rmsNormRows(dst, x, w []float32, eps float64) {
	e.normRows(dst, x, w, nil, eps)
}

// layerNormRows is layerNormRows on the worker pool when there are many rows.
func (e *engine) layerNormRows(dst, x, w, b []float32, eps float64) {
	e.normRows(dst, x, w, b, eps)
}

func (e *engine) normRows(dst, x, w, b []float32, eps float64) {
	rows := len(x) / len(w)
	e.norm = normJob{dst: dst, x: x, w: w, b: b, eps: eps}
	if rows < parallelRowsMin {
		e.norm.apply(0, len(x))
	} else {
		e.pool.Run((rows+rowChunk-1)/rowChunk, &e.norm)
	}
	e.norm = normJob{}
}

// layerNormRows applies layerNorm to each of the len(x)/len(w) rows of x.
func layerNormRows(dst, x, w, b []float32, eps float64) {
	n := len(w)
	i := 0
	for ; i+4*n <= len(x); i += 4 * n {
		// As rmsNormRows: 4 rows' chains side by side, each in index order.
		x0, x1, x2, x3 := x[i:i+n], x[i+n:i+2*n], x[i+2*n:i+3*n], x[i+3*n:i+4*n]
		var m0, m1, m2, m3 float64
		for j, v := range x0 {
			m0 += float64(v)
			m1 += float64(x1[j])
			m2 += float64(x2[j])
			m3 += float64(x3[j])
		}
		m0, m1, m2, m3 = m0/float64(n), m1/float64(n), m2/float64(n), m3/float64(n)
		var v0, v1, v2, v3 float64
		for j, v := range x0 {
			d0 := float64(v) - m0
			v0 += d0 * d0
			d1 := float64(x1[j]) - m1
			v1 += d1 * d1
			d2 := float64(x2[j]) - m2
			v2 += d2 * d2
			d3 := float64(x3[j]) - m3
			v3 += d3 * d3
		}
		layerNormApply(dst[i:i+n], x0, w, b, m0, v0, eps)
		layerNormApply(dst[i+n:i+2*n], x1, w, b, m1, v1, eps)
		layerNormApply(dst[i+2*n:i+3*n], x2, w, b, m2, v2, eps)
		layerNormApply(dst[i+3*n:i+4*n], x3, w, b, m3, v3, eps)
	}
	for ; i+n <= len(x); i += n {
		layerNorm(dst[i:i+n], x[i:i+n], w, b, eps)
	}
}

// layerNorm is SigLIP's LayerNorm with bias (biased variance, eps inside the root).
func layerNorm(dst, x, w, b []float32, eps float64) {
	var mean float64
	for _, v := range x {
		mean += float64(v)
	}
	mean /= float64(len(x))
	var varSum float64
	for _, v := range x {
		d := float64(v) - mean
		varSum += d * d
	}
	layerNormApply(dst, x, w, b, mean, varSum, eps)
}

// layerNormApply writes layerNorm's output from the row's mean and sum of squared
// deviations.
func layerNormApply(dst, x, w, b []float32, mean, varSum, eps float64) {
	inv := 1 / math.Sqrt(varSum/float64(len(x))+eps)
	for i, v := range x {
		dst[i] = float32((float64(v)-mean)*inv)*w[i] + b[i]
	}
}

// gelu is the MLP activation of one value: the tanh form (Gemma, SigLIP) or the exact
// erf form.
func gelu(x float32, act model.Activation) float32 {
	if act == model.GeluErf {
		v := float64(x)
		return float32(0.5 * v * (1 + math.Erf(v/math.Sqrt2)))
	}
	return simd.GeluTanh(x)
}

// softmaxInPlace normalizes s to probabilities.
func softmaxInPlace(s []float32) {
	simd.ExpShiftF32(s, simd.MaxF32(s))
	normalizeRows(s, 1, len(s))
}

// normalizeRows divides each of the rows rows of n values in s (a softmax's
// exponentials) by the row's sum, kept in float64: each row's sum is one chain in
// index order, 4 rows' chains interleaved so that they overlap (one chain waits
// ~4 cycles per value).
func normalizeRows(s []float32, rows, n int) {
	i := 0
	for ; i+4 <= rows; i += 4 {
		r0, r1, r2, r3 := s[i*n:i*n+n], s[(i+1)*n:(i+1)*n+n], s[(i+2)*n:(i+2)*n+n], s[(i+3)*n:(i+3)*n+n]
		var s0, s1, s2, s3 float64
		for j := range r0 {
			s0 += float64(r0[j])
			s1 += float64(r1[j])
			s2 += float64(r2[j])
			s3 += float64(r3[j])
		}
		simd.ScaleF32(r0, float32(1/s0))
		simd.ScaleF32(r1, float32(1/s1))
		simd.ScaleF32(r2, float32(1/s2))
		simd.ScaleF32(r3, float32(1/s3))
	}
	for ; i < rows; i++ {
		r := s[i*n : i*n+n]
		var sum float64
		for _, e := range r {
			sum += float64(e)
		}
		simd.ScaleF32(r, float32(1/sum))
	}
}

// rope holds the rotary tables for one head size: invFreq[i] = θ^(−2i/d), computed
// in float32 as Hugging Face does so angles round the same way.
type rope struct {
	half    int
	invFreq []float32
}

func newRope(headDim int, theta float64) *rope {
	r := &rope{half: headDim / 2, invFreq: make([]float32, headDim/2)}
	for i := range r.invFreq {
		exp := float32(2*i) / float32(headDim)
		r.invFreq[i] = 1 / float32(math.Pow(theta, float64(exp)))
	}
	return r
}

// apply rotates one head vector in place by position pos (rotate-half form:
// x' = x·cos + rotate_half(x)·sin, rotate_half(x) = [−x₂, x₁]).
// angles writes cos and sin of position pos's rotation angles into cs (cos in the
// first half, sin in the second): computed once per position and shared by every head
// and layer, since a decode step would otherwise evaluate 26 layers × 12 heads × 128
// of each.
func (r *rope) angles(cs []float32, pos int) {
	p := float32(pos)
	for i := 0; i < r.half; i++ {
		angle := p * r.invFreq[i]
		cs[i] = float32(math.Cos(float64(angle)))
		cs[r.half+i] = float32(math.Sin(float64(angle)))
	}
}

// apply rotates one head's x by the angles that angles wrote into cs.
func (r *rope) apply(x, cs []float32) {
	c, s := cs[:r.half], cs[r.half:2*r.half]
	for i := 0; i < r.half; i++ {
		a, b := x[i], x[i+r.half]
		x[i] = a*c[i] - b*s[i]
		x[i+r.half] = b*c[i] + a*s[i]
	}
}

// elementwiseJob applies an elementwise step across the pool, 16 K values per task:
// the MLP activation a[i] = gelu(a[i]) (· b[i] when b is set: Gemma's GeGLU), or the
// final soft-cap a[i] = cap·tanh(a[i]/cap) over the 257 K logits. Serial, the
// activations were 64 M tanh evaluations per 266-token PaliGemma 2 prefill and 30 M per
// SigLIP image, and the logits' cap ~4% of a decode step: work the second thread could
// not share.
type elementwiseJob struct {
	a, b []float32
	act  model.Activation
	cap  float32 // > 0: soft-cap instead of the activation
	add  bool    // a += b instead of the activation
}

// elementwiseChunk is the values per task: 16 K floats = 64 KB, microseconds of work.
const elementwiseChunk = 16 << 10

func (j *elementwiseJob) Task(task, worker int) {
	lo := task * elementwiseChunk
	hi := min(lo+elementwiseChunk, len(j.a))
	a := j.a[lo:hi]
	var b []float32
	if j.b != nil {
		b = j.b[lo:hi]
	}
	switch {
	case j.add:
		simd.AxpyF32(a, 1, b) // a + 1·b rounds once, as a + b
	case j.cap > 0:
		simd.SoftcapF32(a, j.cap)
	case j.act != model.GeluErf:
		simd.GeluTanhF32(a, b)
	default:
		for i, x := range a {
			a[i] = gelu(x, j.act)
			if b != nil {
				a[i] *= b[i]
			}
		}
	}
}

func (e *engine) elementwise(j elementwiseJob) {
	e.elem = j
	e.pool.Run((len(j.a)+elementwiseChunk-1)/elementwiseChunk, &e.elem)
	e.elem = elementwiseJob{}
}

// add sets a[i] += b[i] (a residual connection), across the pool when there are
// many values (a prefill's 257 rows of 2304: ~1 ms in a Go loop on one thread).
func (e *engine) add(a, b []float32) {
	if len(a) < 2*elementwiseChunk {
		simd.AxpyF32(a, 1, b[:len(a)])
		return
	}
	e.elementwise(elementwiseJob{a: a, b: b[:len(a)], add: true})
}

// geglu sets a[i] = gelu(a[i]) (· b[i] if b != nil) across the pool.
func (e *engine) geglu(a, b []float32, act model.Activation) {
	e.elementwise(elementwiseJob{a: a, b: b, act: act})
}

// softcapAll sets a[i] = cap·tanh(a[i]/cap) across the pool.
func (e *engine) softcapAll(a []float32, cap float32) {
	e.elementwise(elementwiseJob{a: a, cap: cap})
}
