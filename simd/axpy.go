package simd

import "fmt"

// AxpyF32 adds a·x to y: y[i] += a·x[i]. Attention accumulates each value vector
// weighted by its probability this way (266×266 of them per head and layer in a
// 224-px prefill); the scalar Go loop was a quarter of a PaliGemma 2 decoder layer's
// prefill time. It panics if the lengths differ.
func AxpyF32(y []float32, a float32, x []float32) {
	if len(x) != len(y) {
		panic(fmt.Sprintf("simd: AxpyF32 lengths differ: %d and %d", len(y), len(x)))
	}
	n := 0
	if useDotAsm && len(y) >= 8 {
		n = len(y) &^ 7
		axpyAsm(&y[0], a, &x[0], n)
	}
	axpyGeneric(y[n:], a, x[n:])
}

func axpyGeneric(y []float32, a float32, x []float32) {
	x = x[:len(y)]
	for i := range y {
		y[i] += a * x[i]
	}
}

// AxpyRowsF32 adds the rows of x, weighted by a, to y: y[i] += Σ_j a[j]·x[j·len(y)+i],
// j in order, each term as AxpyF32 adds it, so the result has the same bits as
// len(a) calls of AxpyF32(y, a[j], row j). A decode step's attention sums its value
// rows this way: 64 at a time, the y chunk in registers across all of them, where an
// AxpyF32 per key loaded and stored y 64 times (PaliGemma 2 3B: 274 keys of 256
// values per query head and layer). It panics if x holds fewer than len(a) rows.
func AxpyRowsF32(y, a, x []float32) {
	d := len(y)
	if len(x) < len(a)*d {
		panic(fmt.Sprintf("simd: AxpyRowsF32: %d values for %d rows of %d", len(x), len(a), d))
	}
	if len(a) == 0 || d == 0 {
		return
	}
	n := 0
	if useDotAsm && d >= 8 {
		n = d &^ 7
		axpyRowsAsm(&y[0], &a[0], &x[0], n, len(a), d)
	}
	if n < d {
		for j, aj := range a {
			axpyGeneric(y[n:], aj, x[j*d+n:j*d+d])
		}
	}
}
