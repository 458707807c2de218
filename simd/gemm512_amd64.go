//go:build !purego

package simd

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"golang.org/x/sys/cpu"
)

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
	// useZmmF selects the zmm prefill: the CPU has AVX-512F, PGEDGE_SIMD
	// does not ask for avx2/avxvnni/generic, and the start-up self-check
	// passed.
	useZmmF = haveZmmF && zmmFAllowed(os.Getenv("PGEDGE_SIMD")) && zmmFSelfCheck(os.Stderr)
	// blockKZ: k values per packed panel (≤ kcBigLimit); blockTZ: tokens per
	// block, a multiple of zfT.
	blockKZ, blockTZ = 384, 384
)

func zmmFAllowed(env string) bool {
	switch strings.TrimSpace(strings.ToLower(env)) {
	case "generic", "avx2", "avxvnni":
		return false
	}
	return true
}

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

// zmmFSelfCheck runs the zmm prefill once on a fixed input of small
// integers (every sum exact in any order) against the Go twin.
func zmmFSelfCheck(warn io.Writer) (ok bool) {
	if !haveZmmF {
		return false
	}
	const nx, nw, k = zfT + 5, bigR + 3, 21
	x := make([]float32, nx*k)
	wf := make([]float32, nw*k)
	w16 := make([]uint16, nw*k)
	for i := range x {
		x[i] = float32(i*7%9) - 4
	}
	for i := range wf {
		wf[i] = float32(i*5%11) - 5
		w16[i] = uint16(math.Float32bits(wf[i]) >> 16)
	}
	want := make([]float32, nx*nw)
	got := make([]float32, nx*nw)
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(warn, "pgedge: warning: the avx512 float GEMM kernel failed its start-up self-check (panic: %v); not using it\n", r)
			ok = false
		}
	}()
	gemmF32Generic(want, nw, x, nx, wf, nw, k)
	// The GEMV: 4 rows, k = 21 (a masked step) and 53 (a 32-value step).
	for _, kk := range []int{k, 53} {
		xs, ws := make([]float32, kk), make([]uint16, 4*kk)
		wsf := make([]float32, 4*kk)
		for i := range xs {
			xs[i] = float32(i*7%9) - 4
		}
		for i := range ws {
			wsf[i] = float32(i*5%11) - 5
			ws[i] = uint16(math.Float32bits(wsf[i]) >> 16)
		}
		var g, e [4]float32
		gemv4BF16Z(&ws[0], kk, &xs[0], kk, &g[0], 0)
		gemmF32Generic(e[:], 4, xs, 1, wsf, 4, kk)
		if g != e {
			fmt.Fprintf(warn, "pgedge: warning: the avx512 bf16 GEMV kernel failed its start-up self-check (k=%d: %v, want %v); not using the avx512 float kernels\n", kk, g, e)
			return false
		}
	}
	for _, bf := range []bool{false, true} {
		clear(got)
		if bf {
			gemmBF16Zmm(got, nw, x, nx, w16, nw, k)
		} else {
			gemmF32Zmm(got, nw, x, nx, wf, nw, k)
		}
		for i := range got {
			if got[i] != want[i] {
				fmt.Fprintf(warn, "pgedge: warning: the avx512 float GEMM kernel failed its start-up self-check (out[%d] = %v, want %v); not using it\n", i, got[i], want[i])
				return false
			}
		}
	}
	return true
}
