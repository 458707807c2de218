package runtime

import (
	"math"

	"github.com/pgedge/pgedge/model"
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
	inv := float32(1 / math.Sqrt(ss/float64(len(x))+eps))
	for i, v := range x {
		dst[i] = (v * inv) * (1 + w[i])
	}
}

// rmsNormRows applies rmsNorm to each of the len(x)/len(w) rows of x.
func rmsNormRows(dst, x, w []float32, eps float64) {
	n := len(w)
	for i := 0; i+n <= len(x); i += n {
		rmsNorm(dst[i:i+n], x[i:i+n], w, eps)
	}
}

// layerNormRows applies layerNorm to each of the len(x)/len(w) rows of x.
func layerNormRows(dst, x, w, b []float32, eps float64) {
	n := len(w)
	for i := 0; i+n <= len(x); i += n {
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
	inv := 1 / math.Sqrt(varSum/float64(len(x))+eps)
	for i, v := range x {
		dst[i] = float32((float64(v)-mean)*inv)*w[i] + b[i]
	}
}

const sqrt2OverPi = 0.7978845608028654 // √(2/π)

func gelu(x float32, act model.Activation) float32 {
	v := float64(x)
	if act == model.GeluErf {
		return float32(0.5 * v * (1 + math.Erf(v/math.Sqrt2)))
	}
	return 0.5 * x * (1 + tanhf(float32(sqrt2OverPi*(v+0.044715*v*v*v))))
}

// softcap is cap·tanh(x/cap), Gemma 2's bound on attention scores and logits.
func softcap(x, cap float32) float32 {
	return cap * tanhf(x/cap)
}

// softmaxInPlace normalizes s to probabilities.
func softmaxInPlace(s []float32) {
	maxv := float32(math.Inf(-1))
	for _, v := range s {
		maxv = max(maxv, v)
	}
	var sum float64
	for i, v := range s {
		e := expf(v - maxv)
		s[i] = e
		sum += float64(e)
	}
	inv := float32(1 / sum)
	for i := range s {
		s[i] *= inv
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
func (r *rope) apply(x []float32, pos int) {
	p := float32(pos)
	for i := 0; i < r.half; i++ {
		angle := p * r.invFreq[i]
		c := float32(math.Cos(float64(angle)))
		s := float32(math.Sin(float64(angle)))
		a, b := x[i], x[i+r.half]
		x[i] = a*c - b*s
		x[i+r.half] = b*c + a*s
	}
}

// expf is e^x in float32 (Cephes' expf: range reduction by ln 2 in two parts, a
// degree-5 polynomial on [−ln2/2, ln2/2], 2^n put into the exponent bits): within
// 2 ulps of math.Exp, and about 4× faster than math.Exp's float64 route. Attention's
// softmax calls it 566 K times per PaliGemma 2 layer in a 224-px prefill.
func expf(x float32) float32 {
	const (
		log2e = 1.44269504088896341
		c1    = 0.693359375
		c2    = -2.12194440e-4
	)
	if x > 88.3762626647949 {
		return float32(math.Inf(1))
	}
	if x < -87.3365447505531 {
		return 0
	}
	if x != x { // NaN
		return x
	}
	n := float32(math.Floor(float64(x*log2e + 0.5)))
	r := x - n*c1 - n*c2
	p := float32(1.9875691500e-4)
	p = p*r + 1.3981999507e-3
	p = p*r + 8.3334519073e-3
	p = p*r + 4.1665795894e-2
	p = p*r + 1.6666665459e-1
	p = p*r + 5.0000001201e-1
	p = p*r*r + r + 1
	return p * math.Float32frombits(uint32(int32(n)+127)<<23)
}

// tanhf is tanh in float32 through expf: 1 − 2/(e^{2|x|}+1), with the sign put back.
// Its absolute error is below 3e-7, which is what gelu and the soft-caps need
// (they use it as 1 + tanh or cap·tanh).
func tanhf(x float32) float32 {
	a := x
	if a < 0 {
		a = -a
	}
	if a > 9 {
		a = 1
	} else {
		a = 1 - 2/(expf(2*a)+1)
	}
	if x < 0 {
		return -a
	}
	return a
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
}

// elementwiseChunk is the values per task: 16 K floats = 64 KB, microseconds of work.
const elementwiseChunk = 16 << 10

func (j *elementwiseJob) Task(task, worker int) {
	lo := task * elementwiseChunk
	hi := min(lo+elementwiseChunk, len(j.a))
	a := j.a[lo:hi]
	switch {
	case j.cap > 0:
		for i, x := range a {
			a[i] = softcap(x, j.cap)
		}
	case j.b == nil:
		for i, x := range a {
			a[i] = gelu(x, j.act)
		}
	default:
		b := j.b[lo:hi]
		for i, x := range a {
			a[i] = gelu(x, j.act) * b[i]
		}
	}
}

func (e *engine) elementwise(j elementwiseJob) {
	e.elem = j
	e.pool.Run((len(j.a)+elementwiseChunk-1)/elementwiseChunk, &e.elem)
	e.elem = elementwiseJob{}
}

// geglu sets a[i] = gelu(a[i]) (· b[i] if b != nil) across the pool.
func (e *engine) geglu(a, b []float32, act model.Activation) {
	e.elementwise(elementwiseJob{a: a, b: b, act: act})
}

// softcapAll sets a[i] = cap·tanh(a[i]/cap) across the pool.
func (e *engine) softcapAll(a []float32, cap float32) {
	e.elementwise(elementwiseJob{a: a, cap: cap})
}
