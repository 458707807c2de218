package simd

import "math"

// The transcendental steps of the model: e^x for the softmaxes, tanh for Gemma 2's
// soft-caps and the tanh form of GELU for every MLP. Evaluated one value at a time
// in Go they cost ~20 ns each — 64 M GELUs in a 266-token PaliGemma 2 prefill, 28 M
// exponentials in one 224-px SigLIP pass and 0.45 M tanh (2.5 ms) per decode step —
// so each has an AVX2 kernel that evaluates eight lanes with the same float32
// operations in the same order. Every multiply is rounded before it is added
// (explicit conversions, which the Go spec says prevent fused multiply-adds), so the
// scalar functions below, the pure-Go loops and the assembly give identical bits on
// every architecture, and the cross-check test asserts equality.

// Expf is e^x in float32 (Cephes' expf: n = round(x·log2 e), x − n·ln 2 in two parts,
// a degree-5 polynomial, scaled by 2^n; within 2 ulp of e^x). It is +Inf above
// 88.376, 0 below −87.337, and NaN for NaN.
func Expf(x float32) float32 {
	if x > expHi {
		return float32(math.Inf(1))
	}
	if x < expLo {
		return 0
	}
	if x != x { // NaN
		return x
	}
	n := float32(math.Floor(float64(float32(x*log2e) + 0.5)))
	r := float32(x-float32(n*expC1)) - float32(n*expC2)
	p := float32(expP0)
	p = float32(p*r) + expP1
	p = float32(p*r) + expP2
	p = float32(p*r) + expP3
	p = float32(p*r) + expP4
	p = float32(p*r) + expP5
	p = float32(float32(float32(p*r)*r)+r) + 1
	return p * math.Float32frombits(uint32(int32(n)+127)<<23)
}

const (
	log2e = 1.44269504088896341
	expHi = 88.3762626647949
	expLo = -87.3365447505531
	expC1 = 0.693359375
	expC2 = -2.12194440e-4
	expP0 = 1.9875691500e-4
	expP1 = 1.3981999507e-3
	expP2 = 8.3334519073e-3
	expP3 = 4.1665795894e-2
	expP4 = 1.6666665459e-1
	expP5 = 5.0000001201e-1
)

// Tanhf is tanh(x) in float32 as 1 − 2/(e^{2|x|} + 1), exactly ±1 beyond |x| > 9.
func Tanhf(x float32) float32 {
	a := math.Float32frombits(math.Float32bits(x) &^ (1 << 31))
	if a > 9 {
		a = 1
	} else {
		a = 1 - 2/(Expf(a+a)+1)
	}
	if x < 0 {
		return -a
	}
	return a
}

// GeluTanh is the tanh approximation of GELU (PyTorch's gelu(approximate="tanh"),
// Gemma's and SigLIP's activation): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), with
// the argument of tanh computed in float64.
func GeluTanh(x float32) float32 {
	v := float64(x)
	c := float64(float64(geluK*v)*v) * v
	u := float32(sqrt2OverPi * float64(v+c))
	return float32(0.5*x) * (1 + Tanhf(u))
}

const (
	geluK       = 0.044715
	sqrt2OverPi = 0.7978845608028654 // √(2/π)
)

// Softcap is cap·tanh(x/cap), Gemma 2's bound on attention scores and logits.
func Softcap(x, cap float32) float32 { return cap * Tanhf(x/cap) }

// ExpShiftF32 sets x[i] = Expf(x[i] − m): the numerators of a softmax whose maximum
// is m.
func ExpShiftF32(x []float32, m float32) {
	n := 0
	if useElemAsm && len(x) >= 8 {
		n = len(x) &^ 7
		expShiftAsm(&x[0], n, m)
	}
	for i := n; i < len(x); i++ {
		x[i] = Expf(x[i] - m)
	}
}

// SoftcapF32 sets x[i] = Softcap(x[i], cap).
func SoftcapF32(x []float32, cap float32) {
	n := 0
	if useElemAsm && len(x) >= 8 {
		n = len(x) &^ 7
		softcapAsm(&x[0], n, cap)
	}
	for i := n; i < len(x); i++ {
		x[i] = Softcap(x[i], cap)
	}
}

// ScaleF32 multiplies x by a in place (softmax scores by 1/√d, probabilities by
// 1/Σ, the online softmax's rescaling): one rounding per value, so the assembly
// gives the Go loop's bits.
func ScaleF32(x []float32, a float32) {
	n := 0
	if useElemAsm && len(x) >= 8 {
		n = len(x) &^ 7
		scaleAsm(&x[0], n, a)
	}
	for i := n; i < len(x); i++ {
		x[i] *= a
	}
}

// MaxF32 returns the largest value of x (−Inf for none): a softmax's shift. Of +0
// and −0 either may come back, which x − m does not tell apart; with a NaN in x
// the result is unspecified (the softmax is NaN either way). In vector lanes it
// is 15 ns for 256 values against 93–290 for Go's four compare chains, whose
// branches mispredict on attention scores.
func MaxF32(x []float32) float32 {
	m := float32(math.Inf(-1))
	n := 0
	if useElemAsm && len(x) >= 8 {
		n = len(x) &^ 7
		m = maxAsm(&x[0], n)
	}
	for _, v := range x[n:] {
		if v > m {
			m = v
		}
	}
	return m
}

// GeluTanhF32 sets a[i] = GeluTanh(a[i]), times b[i] when b is not nil (GeGLU: the
// gate's activation times the up projection). It panics if b is shorter than a.
func GeluTanhF32(a, b []float32) {
	if b != nil {
		b = b[:len(a)]
	}
	n := 0
	if useElemAsm && len(a) >= 8 {
		n = len(a) &^ 7
		var bp *float32
		if b != nil {
			bp = &b[0]
		}
		geluTanhAsm(&a[0], bp, n)
	}
	for i := n; i < len(a); i++ {
		a[i] = GeluTanh(a[i])
		if b != nil {
			a[i] *= b[i]
		}
	}
}
