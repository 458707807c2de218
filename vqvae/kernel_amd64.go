//go:build !purego

package vqvae

// useAVX2 selects the AVX2+FMA kernel (8 floats per instruction, ~6x the scalar loop).
// Tests switch it off to exercise the portable path.
var useAVX2 = cpuHasAVX2FMA()

// cpuHasAVX2FMA reports CPUID AVX2 and FMA support and OS support for YMM state.
func cpuHasAVX2FMA() bool

// dot2x4AVX2 is dot2x4acc for L a positive multiple of 8 and S >= 1. a points to input
// 0 of segment 0 (input 1 is pix floats further, segment s is s*rs floats further), w to
// weight row 0 (rows are K = S*L floats apart; segment s starts s*L floats in).
//
//go:noescape
func dot2x4AVX2(a *float32, pix, rs, S int, w *float32, K, L int, acc *[8]float32)
