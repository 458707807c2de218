//go:build !purego

package simd

import "golang.org/x/sys/cpu"

// Two tile shapes (all figures: Zen 3 EPYC VM, 2 vCPUs, ~2.45 GHz nominal,
// so a peak of ~78 GFLOP/s at 32 flops per cycle):
//
//   - 4 weight rows × 3 tokens, dot-product form (tileF32): 16 YMM registers
//     hold 12 accumulators, 3 token vectors and 1 weight vector; each 8-wide
//     k step is 7 loads and 12 FMAs, and each call ends with horizontal sums.
//     63–78 GFLOP/s with its data in L1. Used when nx is 3–5 or nw < 16 (no
//     packing to amortize), with the generic blocking below.
//   - 6 tokens × 16 weight rows, broadcast form on a packed panel
//     (tileB6x16, the "big" path below): 84–87 GFLOP/s in L1, 73–75 GFLOP/s
//     for the whole 256×2304×2304 prefill.
//
// GEMV (nx < 3) streams 4 weight rows per call (gemv4F32/gemv4BF16) and is
// bound by DRAM bandwidth.
const (
	tileR     = 4
	tileT     = 3
	kcDefault = 512 // panel 4×512 floats = 8 KB and 3 token rows = 6 KB in L1
	mcDefault = 96  // 96 tokens × 512 × 4 B = 192 KB of x in L2
	asmName   = "avx2-fma"
)

// x/sys/cpu reports AVX2 only when the OS saves the YMM state.
var haveAsm = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// tileF32 sets (acc = 0) or adds to (acc = 1) out[i*ldo + j] the dot product
// of x row i (stride ldx) and w row j (stride ldw) over k ≥ 8 values, for
// j < 4, i < 3.
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

// The prefill path (nx ≥ 6, nw ≥ 16): 6 tokens × 16 weight rows per call
// on a packed weight panel, see tileB6x16 in gemm_amd64.s.
const (
	haveBig      = true
	bigR         = 16
	bigT         = 6
	kcBigLimit   = 768 // the stack panel holds 16×(kcBigLimit+8) floats (49.7 KB)
	kcBigDefault = 768
	mcBigDefault = 384
)

// Blocking of the big path, measured on the 256×2304×2304 prefill (best of
// several runs, GFLOP/s f32/bf16): kc 256: 55/63, 384: 60/62, 512: 70/70,
// 768: 73/75 (panel 48 KB, in L2: its 2 loads per 12 FMAs are easily fed
// from L2, and fewer k blocks mean fewer passes over out). Token blocks of
// 96–192 were 5–15% slower than 384: each token block re-packs every panel,
// and packing is bound by reading W from DRAM (2.4 ms for 21 MB of f32,
// against ~30 ms of arithmetic). The token rows of a 384-token block do not
// fit in L2 at kc 768 (1.2 MB), but the 6 rows a call reads sequentially
// are prefetched well.
var (
	blockKBig = kcBigDefault // k values per packed panel, ≤ kcBigLimit
	blockTBig = mcBigDefault // tokens per block, a multiple of bigT
)

// packF32x16 transposes 16 weight rows (stride ldw) × k ≥ 8 values into
// dst[kk*16 + j].
//
//go:noescape
func packF32x16(dst *float32, w *float32, ldw int, k int)

// packBF16x16 is packF32x16 for bfloat16 weights, widening them.
//
//go:noescape
func packBF16x16(dst *float32, w *uint16, ldw int, k int)

// tileB6x16 sets or adds to out[i*ldo + j], i < 6, j < 16, the product of
// x rows i (stride ldx) and the packed panel p over k ≥ 1 values.
//
//go:noescape
func tileB6x16(p *float32, x *float32, ldx int, k int, out *float32, ldo int, acc int)

func gemmF32Big(out []float32, ldo int, x []float32, nx int, w []float32, nw int, k int) {
	if useZmmF && nx >= zfT {
		gemmF32Zmm(out, ldo, x, nx, w, nw, k)
		return
	}
	var panel [bigR * (kcBigLimit + 8)]float32
	kc := min(blockKBig, kcBigLimit) // the panel's size
	for k0 := 0; k0 < k; {
		kb := nextK(k0, k, kc)
		for t0 := 0; t0 < nx; t0 += blockTBig {
			for r := 0; r < nw; r += bigR {
				rs := min(r, nw-bigR)
				packF32x16(&panel[0], &w[rs*k+k0], k, kb)
				bigTiles(out, ldo, x, nx, k, &panel, r, rs, t0, k0, kb)
			}
		}
		k0 += kb
	}
}

func gemmBF16Big(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int) {
	if bf16DotOK(nx, nw, k) { // AVX-512 BF16: activations rounded to bf16
		gemmBF16Dot(out, ldo, x, nx, w, nw, k)
		return
	}
	if useZmmF && nx >= zfT {
		gemmBF16Zmm(out, ldo, x, nx, w, nw, k)
		return
	}
	var panel [bigR * (kcBigLimit + 8)]float32
	kc := min(blockKBig, kcBigLimit) // the panel's size
	for k0 := 0; k0 < k; {
		kb := nextK(k0, k, kc)
		for t0 := 0; t0 < nx; t0 += blockTBig {
			for r := 0; r < nw; r += bigR {
				rs := min(r, nw-bigR)
				packBF16x16(&panel[0], &w[rs*k+k0], k, kb)
				bigTiles(out, ldo, x, nx, k, &panel, r, rs, t0, k0, kb)
			}
		}
		k0 += kb
	}
}

// bigTiles multiplies one packed panel (rows rs..rs+15, values k0..k0+kb)
// with the token block starting at t0; r > rs marks an overlapping edge
// panel whose rows before r are already done.
func bigTiles(out []float32, ldo int, x []float32, nx, k int, panel *[bigR * (kcBigLimit + 8)]float32, r, rs, t0, k0, kb int) {
	var tmp [bigR * bigT]float32
	acc := b2i(k0 > 0)
	t1 := min(t0+blockTBig, nx)
	for t := t0; t < t1; t += bigT {
		ts := min(t, nx-bigT)
		xp := &x[ts*k+k0]
		if rs == r && ts == t {
			tileB6x16(&panel[0], xp, k, kb, &out[t*ldo+r], ldo, acc)
		} else {
			tileB6x16(&panel[0], xp, k, kb, &tmp[0], bigR, 0)
			mergeTile(out, ldo, tmp[:], bigR, bigT, r, rs, t, ts, acc)
		}
	}
}
