//go:build !purego

package simd

import "golang.org/x/sys/cpu"

//go:generate python3 ../scripts/simdgen/gen_gemm512_amd64.py

// The AVX-512F float prefill (gemm512_amd64.s): with nx ≥ 24 tokens and
// nw ≥ 16 rows, the weight panels of the AVX2 prefill path (16 rows ×
// ≤ kcZ values, packed and, for bfloat16, widened once per token block)
// meet 24 tokens per call in a 24 × 16 zmm tile (24 accumulators, one FMA
// per token and k step with the token's value broadcast from memory). The
// results differ from the AVX2 path only in summation order (both
// accumulate each k block in order, in float32 FMAs).
const (
	zfT = 24 // tokens per zmm tile
)

var (
	haveZmmF = haveAsm && cpu.X86.HasAVX512F
	// useZmmF selects the zmm prefill: set by the float dispatch
	// (dispatch_float.go) when the gemm kind is at level avx512f.
	useZmmF bool
	// blockKZ: k values per packed panel (≤ kcBigLimit); blockTZ: tokens per
	// block, a multiple of zfT.
	blockKZ, blockTZ = 384, 384
)

// gemv4BF16Z is gemv4BF16 on zmm (any k ≥ 1).
//
//go:noescape
func gemv4BF16Z(w *uint16, ldw int, x *float32, k int, out *float32, acc int)

// tileZ24x16 sets or adds to out[i*ldo + j], i < 24, j < 16, the product of
// x rows i (stride ldx) and the packed panel p over k ≥ 1 values.
//
//go:noescape
func tileZ24x16(p *float32, x *float32, ldx int, k int, out *float32, ldo int, acc int)

func gemmF32Zmm(out []float32, ldo int, x []float32, nx int, w []float32, nw int, k int) {
	var panel [bigR * (kcBigLimit + 8)]float32
	kc := min(blockKZ, kcBigLimit)
	for k0 := 0; k0 < k; {
		kb := nextK(k0, k, kc)
		for t0 := 0; t0 < nx; t0 += blockTZ {
			for r := 0; r < nw; r += bigR {
				rs := min(r, nw-bigR)
				packF32x16(&panel[0], &w[rs*k+k0], k, kb)
				zmmTiles(out, ldo, x, nx, k, &panel, r, rs, t0, k0, kb)
			}
		}
		k0 += kb
	}
}

func gemmBF16Zmm(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int) {
	var panel [bigR * (kcBigLimit + 8)]float32
	kc := min(blockKZ, kcBigLimit)
	for k0 := 0; k0 < k; {
		kb := nextK(k0, k, kc)
		for t0 := 0; t0 < nx; t0 += blockTZ {
			for r := 0; r < nw; r += bigR {
				rs := min(r, nw-bigR)
				packBF16x16(&panel[0], &w[rs*k+k0], k, kb)
				zmmTiles(out, ldo, x, nx, k, &panel, r, rs, t0, k0, kb)
			}
		}
		k0 += kb
	}
}

// zmmTiles is bigTiles with the 24-token zmm tile.
func zmmTiles(out []float32, ldo int, x []float32, nx, k int, panel *[bigR * (kcBigLimit + 8)]float32, r, rs, t0, k0, kb int) {
	var tmp [bigR * zfT]float32
	acc := b2i(k0 > 0)
	t1 := min(t0+blockTZ, nx)
	for t := t0; t < t1; t += zfT {
		ts := min(t, nx-zfT)
		xp := &x[ts*k+k0]
		if rs == r && ts == t {
			tileZ24x16(&panel[0], xp, k, kb, &out[t*ldo+r], ldo, acc)
		} else {
			tileZ24x16(&panel[0], xp, k, kb, &tmp[0], bigR, 0)
			mergeTile(out, ldo, tmp[:], bigR, zfT, r, rs, t, ts, acc)
		}
	}
}
