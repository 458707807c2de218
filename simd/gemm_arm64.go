//go:build !purego

package simd

import (
	"math"
	"unsafe"
)

// NEON has 32 128-bit registers: the 4×4 tile keeps 16 accumulators and
// loads 8 values of 4 weight rows and 4 tokens per step (16 registers, one
// two-register LD1 each), so each 8-wide k step is 8 loads for 32 FMLAs.
// The timing of these kernels has not been measured: they were written and
// tested under qemu (cortex-a72, cortex-a76, max), which gives correctness
// only. The blocking follows the amd64 figures scaled to 4 tokens.
const (
	tileR     = 4
	tileT     = 4
	kcDefault = 512 // panel 4×512 floats = 8 KB and 4 token rows = 8 KB in L1 (32 KB on A72)
	mcDefault = 96  // 96 tokens × 512 × 4 B = 192 KB of x in L2 (A72: 1 MB shared; A76: 256–512 KB)
	asmName   = "neon"

	// No packed prefill path on arm64 yet (see gemm_amd64.go).
	haveBig = false
	bigR    = 16
	bigT    = 6
)

// ASIMD (NEON) is part of every arm64 CPU Go supports.
const haveAsm = true

// No AVX-512 float path here (gemm512_amd64.go).
const haveZmmF = false

var useZmmF = false

// gemv4BF16Z is never chosen here (useZmmF stays false); should it be, it
// computes what gemv4BF16 does, in Go.
func gemv4BF16Z(w *uint16, ldw int, x *float32, k int, out *float32, acc int) {
	ws := unsafe.Slice(w, 3*ldw+k)
	xs := unsafe.Slice(x, k)
	o := unsafe.Slice(out, 4)
	for j := range o {
		var s float32
		for i, v := range xs {
			s += math.Float32frombits(uint32(ws[j*ldw+i])<<16) * v
		}
		if acc != 0 {
			s += o[j]
		}
		o[j] = s
	}
}

// The zmm prefill is never chosen here (haveZmmF is false); should it be, the generic
// twins compute the same.
func gemmF32Big(out []float32, ldo int, x []float32, nx int, w []float32, nw int, k int) {
	gemmF32Generic(out, ldo, x, nx, w, nw, k)
}

func gemmBF16Big(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int) {
	gemmBF16Generic(out, ldo, x, nx, w, nw, k)
}

// tileF32 sets (acc = 0) or adds to (acc = 1) out[i*ldo + j] the dot product
// of x row i (stride ldx) and w row j (stride ldw) over k ≥ 8 values, for
// j < 4, i < 4.
//
//go:noescape
func tileF32(w *float32, ldw int, x *float32, ldx int, k int, out *float32, ldo int, acc int)

// gemv4F32 sets or adds to out[j], j < 4, the dot product of w row j
// (stride ldw) and x over k ≥ 8 values.
//
//go:noescape
func gemv4F32(w *float32, ldw int, x *float32, k int, out *float32, acc int)

// gemv4BF16 is gemv4F32 with bfloat16 weights.
//
//go:noescape
func gemv4BF16(w *uint16, ldw int, x *float32, k int, out *float32, acc int)

// cvtBF16 widens n ≥ 8 bfloat16 values to float32.
//
//go:noescape
func cvtBF16(dst *float32, src *uint16, n int)

// dotF32 returns Σ a[i]·b[i] over n ≥ 8 values.
//
//go:noescape
func dotF32(a, b *float32, n int) float32
