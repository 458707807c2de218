package vqvae

import "github.com/pgedge/pgedge/simd"

// dot2x4acc adds to acc the 8 sums over segments s = 0..S-1 of the dot products of two
// inputs, a[s*rs:][:L] and a[s*rs+pix:][:L], with four weight rows w[j*K+s*L:][:L],
// j = 0..3 (K = S*L): acc[r*4+j] += sum_s a_r,s . w_j,s. Sharing each load between 4
// (resp. 2) products halves the memory traffic of plain dot products, and 8 independent
// sums hide the add latency.
//
// The slice expressions below are the bounds checks that make the assembly path
// memory-safe; they cost a few ns per call against ~100-500 ns of arithmetic.
func dot2x4acc(a []float32, pix, rs, S int, w []float32, K, L int, acc *[8]float32) {
	if S <= 0 || L <= 0 || S*L != K {
		panic("vqvae: bad kernel geometry")
	}
	_ = a[(S-1)*rs+pix+L-1]
	_ = a[(S-1)*rs+L-1]
	w = w[:4*K]
	if L%8 == 0 && avx2Active() {
		dot2x4AVX2(&a[0], pix, rs, S, &w[0], K, L, acc)
		return
	}
	for s := 0; s < S; s++ {
		off, ws := s*rs, s*L
		dot2x4Generic(a[off:off+L], a[off+pix:off+pix+L],
			w[ws:ws+L], w[K+ws:K+ws+L], w[2*K+ws:2*K+ws+L], w[3*K+ws:3*K+ws+L], acc)
	}
}

// avx2Active reports whether the AVX2 kernel runs: the CPU has it and package simd's
// float kernels run in assembly (PGEDGE_SIMD=generic, the purego tag and
// simd.ForceGeneric select the portable code here as there).
func avx2Active() bool { return useAVX2 && simd.FloatAsm() }

// dot2x4Generic is the portable kernel for one segment (and the reference in tests).
func dot2x4Generic(a0, a1, w0, w1, w2, w3 []float32, acc *[8]float32) {
	n := len(a0)
	a1, w0, w1, w2, w3 = a1[:n], w0[:n], w1[:n], w2[:n], w3[:n]
	var s00, s01, s02, s03, s10, s11, s12, s13 float32
	for k := 0; k < n; k++ {
		x, y := a0[k], a1[k]
		c := w0[k]
		s00 += x * c
		s10 += y * c
		c = w1[k]
		s01 += x * c
		s11 += y * c
		c = w2[k]
		s02 += x * c
		s12 += y * c
		c = w3[k]
		s03 += x * c
		s13 += y * c
	}
	acc[0] += s00
	acc[1] += s01
	acc[2] += s02
	acc[3] += s03
	acc[4] += s10
	acc[5] += s11
	acc[6] += s12
	acc[7] += s13
}
