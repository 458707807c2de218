//go:build !purego

package simd

import (
	"fmt"
	"io"
	"math"
	"sync"
	"unsafe"

	"golang.org/x/sys/cpu"
)

// The AVX-512 BF16 prefill of bfloat16 weights (gemmbf16dot_amd64.s): with
// nx ≥ 24 tokens, nw ≥ 16 rows and k even, GemmBF16 rounds the activations
// to bfloat16 once per k block and token block (cvtF32BF16, VCVTNEPS2BF16:
// to nearest even) and multiplies them with VDPBF16PS, 32 multiply-adds per
// instruction against VFMADD231PS's 16. A bf16 row read as dwords is already
// a row of (k, k+1) pairs, so the weight panel is the 32-bit transpose of
// the float32 path (packF32x16 on the rows as dwords: lane j of each panel
// vector holds row j's pair, "lanes = rows" as in the Q8 GEMM). Two tiles:
// 24 tokens × 16 rows (tileZ24x16's shape, each token's pair broadcast from
// memory into VDPBF16PS: 25 loads per 24 VDPBF16PS), and 12 tokens × 32 rows
// (two panel vectors, one VPBROADCASTD per token feeding two VDPBF16PS: 14
// loads per 24), used where nw ≥ 32. Measured on the 2-vCPU Zen 5 (one core,
// 256×2304×2304 bf16, GFLOP/s; load ~2): tile alone in L1 300–351 and
// 362–415, whole GEMM 211–254 and 305–383, against 125–144 for the float32
// zmm path (gemmBF16Zmm) it replaces.
//
// The activations lose their low 16 bits, so results move by up to
// 2⁻⁸·Σ|x·w| (gemm.go states the bound); the GEMV (extend) keeps float32
// activations. Per lane VDPBF16PS is two float32 FMAs, the odd element of
// the pair first, with denormal inputs read as zero and a denormal result
// flushed to zero; gemmBF16DotModel is its Go twin, bit for bit on this
// host (TestGemmBF16DotTwin).
const (
	// Pairs per k block: a 32-row panel of 384 pairs is 48 KB (L2). On the
	// layer benchmark (257 tokens × 9216×2304 from DRAM, one core, GFLOP/s)
	// 384 pairs beat 192 with infer's old 64-row calls (272–297 against
	// 231–242) and matched it with 256-row calls (267–282 against 272–292).
	kcDLimit = 384
	mcDLimit = 384 // tokens per block, a multiple of zfT
)

var (
	haveBF16Dot = haveZmmF && cpu.X86.HasAVX512BF16
	// useBF16Dot selects the bf16-activation prefill: set by fApply when the
	// gemm kind is at the avx512bf16 level (dispatch_float.go: the CPU has
	// AVX-512 BF16, PGEDGE_SIMD allows it, the self-check passed).
	useBF16Dot bool
	// blockKD (pairs, ≤ kcDLimit) and blockTD (tokens, a multiple of zfT,
	// ≤ mcDLimit): variables so that the tests can shrink them.
	blockKD, blockTD = kcDLimit, mcDLimit
	// bf16DotWide selects the 12 × 32 tile where nw ≥ 32 (else 24 × 16).
	bf16DotWide = true
)

// tileBF16Dot24x16 sets or adds to out[i*ldo + j], i < 24, j < 16, the
// product of bf16 token rows i (stride ldx values) and the pair panel p over
// kp ≥ 1 pairs.
//
//go:noescape
func tileBF16Dot24x16(p *uint32, x *uint16, ldx int, kp int, out *float32, ldo int, acc int)

// tileBF16Dot12x32 is tileBF16Dot24x16 for 12 tokens × 32 rows: p holds
// two pair panels of 16 rows, the second kp·16 dwords after the first.
//
//go:noescape
func tileBF16Dot12x32(p *uint32, x *uint16, ldx int, kp int, out *float32, ldo int, acc int)

// cvtF32BF16 rounds n ≥ 0 float32 values to bfloat16 (bf16RNE).
//
//go:noescape
func cvtF32BF16(dst *uint16, src *float32, n int)

// xbBuf holds one token block's activations in bfloat16 (the block and an
// edge tile reaching back before it, × 2·(kcDLimit+8) values): 650 KB, pooled
// so that concurrent GEMMs (one per worker) each have one without
// allocating per call.
type xbBuf [(mcDLimit + amxT) * 2 * (kcDLimit + 8)]uint16

var xbPool = sync.Pool{New: func() any { return new(xbBuf) }}

// bf16DotOK reports whether GemmBF16 takes the VDPBF16PS path for a shape.
func bf16DotOK(nx, nw, k int) bool {
	return useBF16Dot && nx >= zfT && nw >= bigR && k%2 == 0 && k >= 16
}

func gemmBF16Dot(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int) {
	var panel [2 * bigR * (kcDLimit + 8)]uint32
	var tmp [amxT * amxT]float32
	// The tile: 24 tokens × 16 rows, or 12 × 32 (bf16DotWide, nw ≥ 32), or
	// AMX's 32 × 32 (gemmbf16amx_amd64.go).
	nr, nt := bigR, zfT
	amx := useBF16AMX && nx >= amxT && nw >= amxT
	switch {
	case amx:
		nr, nt = amxT, amxT
	case bf16DotWide && nw >= 2*bigR:
		nr, nt = 2*bigR, zfT/2
	}
	xb := xbPool.Get().(*xbBuf)
	defer xbPool.Put(xb)
	kp := k / 2
	kc, mc := min(blockKD, kcDLimit), min(blockTD, mcDLimit)
	if amx {
		mc = max(amxT, mc/amxT*amxT) // whole tiles per token block
	}
	for p0 := 0; p0 < kp; {
		pb := nextK(p0, kp, kc) // 8 ≤ pb ≤ kc+7 pairs
		ldx := 2 * pb
		acc := b2i(p0 > 0)
		for t0 := 0; t0 < nx; t0 += mc {
			t1 := min(t0+mc, nx)
			c0 := min(t0, nx-nt) // the last tile may start before t0
			for t := c0; t < t1; t++ {
				cvtF32BF16(&xb[(t-c0)*ldx], &x[t*k+2*p0], ldx)
			}
			for r := 0; r < nw; r += nr {
				rs := min(r, nw-nr)
				for h := 0; h < nr; h += bigR {
					packF32x16((*float32)(unsafe.Pointer(&panel[h*pb])), (*float32)(unsafe.Pointer(&w[(rs+h)*k+2*p0])), kp, pb)
				}
				for t := t0; t < t1; t += nt {
					ts := min(t, nx-nt)
					xp := &xb[(ts-c0)*ldx]
					o, ld := &out[t*ldo+r], ldo
					if rs != r || ts != t {
						o, ld = &tmp[0], nr
					}
					switch {
					case amx:
						tileBF16AMXPairs(panel[:], pb, xb[(ts-c0)*ldx:], ldx, o, ld, b2i(o != &tmp[0] && acc != 0))
					case nr == bigR:
						tileBF16Dot24x16(&panel[0], xp, ldx, pb, o, ld, b2i(o != &tmp[0] && acc != 0))
					default:
						tileBF16Dot12x32(&panel[0], xp, ldx, pb, o, ld, b2i(o != &tmp[0] && acc != 0))
					}
					if o == &tmp[0] {
						mergeTile(out, ldo, tmp[:], nr, nt, r, rs, t, ts, acc)
					}
				}
			}
		}
		p0 += pb
	}
}

// bf16RNE is VCVTNEPS2BF16 on one value: zero and denormals to a zero of
// their sign, ±Inf kept, NaN made quiet, the rest rounded to nearest even.
func bf16RNE(f float32) uint16 {
	b := math.Float32bits(f)
	switch e := b >> 23 & 0xff; {
	case e == 0:
		return uint16(b>>16) & 0x8000
	case e == 0xff && b&0x7fffff != 0:
		return uint16(b>>16) | 0x40
	}
	return uint16((b + 0x7fff + (b>>16)&1) >> 16)
}

// daz reads a bfloat16 as VDPBF16PS does: a denormal is a zero of its sign.
func daz(h uint16) float32 {
	if h&0x7f80 == 0 {
		h &= 0x8000
	}
	return bf16(h)
}

// ftz flushes a denormal result to a zero of its sign.
func ftz(f float32) float32 {
	if b := math.Float32bits(f); b&0x7f800000 == 0 {
		return math.Float32frombits(b & 0x80000000)
	}
	return f
}

// fmaBF16 is one half of VDPBF16PS: s + a·b rounded once to float32 (the
// product of two bfloat16 is exact in float64 and their sum with a float32
// rounds correctly through float64, 53 ≥ 2·24+2 bits; a product beyond
// float32's range is not infinite on its own), with DAZ and FTZ.
func fmaBF16(s float32, a, b uint16) float32 {
	return ftz(float32(float64(s) + float64(daz(a))*float64(daz(b))))
}

// gemmBF16DotModel is the Go twin of gemmBF16Dot with k blocks of kc pairs
// (nextK, as gemmBF16Dot splits them): each block's sum starts at zero and
// takes per pair the odd then the even product (fmaBF16); the blocks' sums
// are added to out in order.
func gemmBF16DotModel(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k, kc int) {
	kp := k / 2
	xb := make([]uint16, len(x[:nx*k]))
	for i := range xb {
		xb[i] = bf16RNE(x[i])
	}
	for i := 0; i < nx; i++ {
		for r := 0; r < nw; r++ {
			xr, wr := xb[i*k:(i+1)*k], w[r*k:(r+1)*k]
			var o float32
			for p0 := 0; p0 < kp; {
				pb := nextK(p0, kp, kc)
				var s float32
				for q := p0; q < p0+pb; q++ {
					s = fmaBF16(s, xr[2*q+1], wr[2*q+1])
					s = fmaBF16(s, xr[2*q], wr[2*q])
				}
				if p0 == 0 {
					o = s
				} else {
					o += s
				}
				p0 += pb
			}
			out[i*ldo+r] = o
		}
	}
}

// bf16DotSelfCheck runs the VDPBF16PS prefill and the conversion once on
// fixed inputs against their Go twins: the GEMM on small integers (exact in
// bfloat16, every sum exact in any order), two k blocks and edge tiles in
// both directions (gemm is gemmBF16Dot but for the tests); the conversion
// bit for bit on values that round up,
// down, to even, overflow, and on denormals, ±Inf and NaN.
func bf16DotSelfCheck(warn io.Writer, gemm func(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int)) (ok bool) {
	if !haveBF16Dot {
		return false
	}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(warn, "pgedge: warning: the avx512bf16 GEMM kernel failed its start-up self-check (panic: %v); not using it\n", r)
			ok = false
		}
	}()
	cv := []float32{1, -1.00390625, 1.0078125 + 0x1p-9, 1.00390625 + 0x1p-20, 3.3895314e38, 3.4e38, 0x1p-130, -0x1p-140,
		float32(math.Inf(-1)), float32(math.NaN()), 0, -2.5, 65504, 1e-30, 7.1, -0.333, 123456.7, 0.1}
	got := make([]uint16, len(cv))
	cvtF32BF16(&got[0], &cv[0], len(cv))
	for i, v := range cv {
		if got[i] != bf16RNE(v) {
			fmt.Fprintf(warn, "pgedge: warning: the avx512bf16 conversion failed its start-up self-check (%v → %#04x, want %#04x); not using the avx512bf16 GEMM\n", v, got[i], bf16RNE(v))
			return false
		}
	}
	return checkGemmExact(warn, "avx512bf16 GEMM kernel", gemm, zfT+5, bigR+3, 2*kcDLimit+20)
}

// checkGemmExact runs gemm once on gemmCheckInputs(nx, nw, k), whose sums
// are exact in any order, and requires the generic results; a mismatch or
// a panic is reported on warn as kernel's failed start-up self-check.
func checkGemmExact(warn io.Writer, kernel string, gemm func(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int), nx, nw, k int) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(warn, "pgedge: warning: the %s failed its start-up self-check (panic: %v); not using it\n", kernel, r)
			ok = false
		}
	}()
	x, _, w16, want := gemmCheckInputs(nx, nw, k)
	out := make([]float32, nx*nw)
	gemm(out, nw, x, nx, w16, nw, k)
	for i := range out {
		if out[i] != want[i] {
			fmt.Fprintf(warn, "pgedge: warning: the %s failed its start-up self-check (out[%d] = %v, want %v); not using it\n", kernel, i, out[i], want[i])
			return false
		}
	}
	return true
}

// UseBF16Activations turns GemmBF16's bf16-activation prefill off (false),
// or back on (true) where the start-up choice made it available, and reports
// whether it was on: for tests and measurements that need the
// float32-activation results on a host with AVX-512 BF16. Not safe while
// kernels run.
func UseBF16Activations(on bool) (was bool) {
	was, useBF16Dot = useBF16Dot, on && fLevels[fSel[fkGemm]].name == "avx512bf16"
	return was
}
