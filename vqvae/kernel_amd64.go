//go:build !purego

package vqvae

import "golang.org/x/sys/cpu"

// useAVX2 is the CPU's AVX2+FMA (x/sys/cpu also checks that the OS saves YMM state):
// the kernel does 8 floats per instruction, ~6x the scalar loop. It runs when, in
// addition, package simd's float kernels run in assembly (avx2Active). Tests clear
// useAVX2 to run the portable path.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// dot2x4AVX2 is dot2x4acc for L a positive multiple of 8 and S >= 1. a points to input
// 0 of segment 0 (input 1 is pix floats further, segment s is s*rs floats further), w to
// weight row 0 (rows are K = S*L floats apart; segment s starts s*L floats in).
//
//go:noescape
func dot2x4AVX2(a *float32, pix, rs, S int, w *float32, K, L int, acc *[8]float32)
