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
