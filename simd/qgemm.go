package simd

// The integer kernels of the quantized linear layers (package quant's Q8
// and Q4 weights times int8 activations): QuantizeActs, GemmQ8, GemmQ4, and
// the two probes that pgedge bench compares them with, StreamRead (read
// bandwidth) and PeakGops (the multiply-add rate of the instruction the Q8
// kernel is built on).
//
// Each architecture with assembly has its kernels in q*_$GOARCH.s, driven by
// Go loops over tiles (q*_$GOARCH.go) so that every assembly call lasts
// microseconds. The levels (amd64: avx2, avxvnni, avx512vnni; arm64: neon,
// neon-sdot, neon-i8mm) and their choice at start-up, with a self-check of
// every assembly kernel against its Go twin, are in dispatch.go; the
// VPDPBUSD levels in qgemm_vnni_amd64.go. The portable twins (qgemm_go.go)
// are always compiled: they run under the purego build tag, on other
// architectures, on CPUs without the needed extensions, and when
// PGEDGE_SIMD=generic is set at start-up; the tests compare every
// implementation the CPU can run with them and with package quant's
// reference dot products.
//
// Two algorithms, chosen per call from the number of tokens nx:
//
//   - extend (nx below the prefill tile's token count, 4 or 2): the weight
//     rows are streamed once, in their file layout, one row at a time (one
//     sequential stream, software-prefetched), ~40 KB of rows per assembly
//     call. The int32 lanes of 4 blocks (Q8) or of a super-block's 8
//     sub-blocks (Q4) are reduced exactly by an add tree to one sum per
//     block, then converted and multiplied-added with the block scales.
//     Memory bound: measured at ~90% (Q8) and ~80% (Q4) of StreamRead's
//     bandwidth on one Zen 3 core.
//   - prefill: for each block of tokens (≤ 160 KB of activations, kept in
//     L2), each panel of 8 weight rows × ≤ 2560 values is repacked (in L1,
//     on the stack) into an interleaved layout, "lanes = rows": one vector
//     step holds 4 consecutive codes of each of 8 rows (4 on arm64, two
//     vectors), Q4 codes already mapped through their level table, Q8
//     codes already flipped to signed, followed per 32-value block by the
//     rows' float32 scales (and Q4 mins). A register-blocked micro-kernel
//     multiplies the panel with 4 tokens at a time (2 on plain NEON),
//     broadcasting 4 activation bytes per step (SDOT by element on arm64),
//     so that each int32 accumulator lane holds one row's block sum: a
//     block's float scaling is one convert, multiply and multiply-add per
//     token and 8 rows, and there is no horizontal reduction. The
//     activations are used in place (the AVX-512 VNNI tile reads them
//     interleaved 8 tokens × 4 bytes, packed once per layer when the caller
//     prepares a QPrefill — qprefill.go — else once per call); a panel is
//     packed once per token block and serves all of its tokens. With SMMLA (arm64 i8mm) the panel
//     holds 2 rows × 8 values per vector instead, the tokens are paired by
//     ZIP1/ZIP2 in registers, and the lanes of an accumulator are a 2×2
//     (rows × tokens) block.
//
// A batched decode step's independent tokens have a third path,
// GemmQ8Batch/GemmQ4Batch (qgemv_rows.go): the few-row kernels stream the
// rows once, like the extend path, for a group of 4 tokens at a time whose
// VPDPBUSD lanes are merged before the float side; activations laid out
// once per layer (QBatch). AVX-512 VNNI (zmm) and AVX-VNNI (ymm); on AVX2,
// arm64 and for one token they are GemmQ8/GemmQ4. Their float accumulation is lane-wise,
// with its own bound (stated there).
//
// Q8 weights that the caller owns can skip the per-call repacking
// altogether: PackQ8Panels rewrites them once into the prefill's "lanes =
// rows" layout (16 rows, fp16 scales, the file's size), and GemmQ8Panels
// then runs one kernel shape for 1 to any number of tokens, each token's
// results the same bits whatever the others (qpanels.go; infer packs a
// model read into memory on AVX-512 VNNI hosts).
//
// Accuracy: the integer part of every block (Σ code·q) is exact; only the
// float32 accumulation of the per-block terms T_b differs from
// quant.DotQ8/DotQ4 (order, FMA, and d·(s·I) instead of (d·s)·I): the
// difference is at most (k/32 + 4)·2⁻²³·Σ_b|T_b|, where T_b =
// d_b·scale_b·I_b for Q8 and T_b = scale_b·(S_j·I_b − M_j·sum_b) with both
// products counted in absolute value for Q4 (plus a few subnormal units).
// The generic twins are bit-identical to package quant on amd64 (on arm64
// the compiler may fuse a multiply-add differently). Weight scales (and
// Q4 mins) are assumed finite, as package quant writes them.

import (
	"fmt"
	"runtime"
	"time"
)

// QuantizeActs is quant.QuantizeActivations, faster: it quantizes x
// (len(x) a multiple of 32) per block of 32 to int8 with scales[b] =
// maxabs/127, q = RNE(x·(127/maxabs)) and sums[b] = Σq, with bit-identical
// results (for NaN inputs the NaN scale may carry another payload).
func QuantizeActs(x []float32, q []int8, scales []float32, sums []int32) {
	n := len(x)
	nb := n / 32
	if nb*32 != n {
		panic(fmt.Sprintf("simd: QuantizeActs: len(x) = %d is not a multiple of 32", n))
	}
	if len(q) < n || len(scales) < nb || len(sums) < nb {
		panic(fmt.Sprintf("simd: QuantizeActs: %d values need len(q) ≥ %d, len(scales), len(sums) ≥ %d; have %d, %d, %d",
			n, n, nb, len(q), len(scales), len(sums)))
	}
	if nb == 0 {
		return
	}
	qLevels[qSel[qkQuant]].quant(x, q, scales, sums)
}

// GemmQ8 computes out[i*ldo + r] = quant.DotQ8(w[r*rb:(r+1)*rb], q[i*k:],
// scales[i*k/32:], sums[i*k/32:], k) for i < nx, r < nw, where rb =
// quant.RowBytes(quant.Q8, k) = k/32·34: w holds nw Q8 rows of k weights, q,
// scales and sums hold nx tokens' activations quantized by QuantizeActs.
// Only those nx·nw entries of out are written; k = 0 writes zeros. It
// panics if k is not a multiple of 32, a size is negative, a slice is too
// short, or ldo < nw while nx > 1. The accuracy is stated in the package
// comment of qgemm.go.
func GemmQ8(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
	if !checkQGemm("GemmQ8", 32, 34, out, ldo, q, scales, sums, nx, w, nw, k) {
		return
	}
	if l := &qLevels[qSel[qkGemm8]]; nx >= l.gemvMax {
		l.gemm8(out, ldo, q, scales, sums, nx, w, nw, k)
		return
	}
	qLevels[qSel[qkGemv8]].gemv8(out, ldo, q, scales, sums, nx, w, nw, k)
}

// GemmQ4 is GemmQ8 for Q4 rows (quant.DotQ4): k must be a multiple of 256
// and rows are k/256·144 bytes.
func GemmQ4(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
	if !checkQGemm("GemmQ4", 256, 144, out, ldo, q, scales, sums, nx, w, nw, k) {
		return
	}
	if l := &qLevels[qSel[qkGemm4]]; nx >= l.gemvMax {
		l.gemm4(out, ldo, q, scales, sums, nx, w, nw, k)
		return
	}
	qLevels[qSel[qkGemv4]].gemv4(out, ldo, q, scales, sums, nx, w, nw, k)
}

// checkQGemm validates the arguments once, so that the kernels may index
// without checks, and writes the zeros of k = 0. It reports whether there
// is anything left to compute.
func checkQGemm(fn string, blk, blkBytes int, out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) bool {
	if nx < 0 || nw < 0 || k < 0 || ldo < 0 {
		panic(fmt.Sprintf("simd: %s: negative size (nx=%d nw=%d k=%d ldo=%d)", fn, nx, nw, k, ldo))
	}
	if k%blk != 0 {
		panic(fmt.Sprintf("simd: %s: k = %d is not a multiple of %d", fn, k, blk))
	}
	if nx == 0 || nw == 0 {
		return false
	}
	if nx > 1 && ldo < nw {
		panic(fmt.Sprintf("simd: %s: ldo %d < nw %d", fn, ldo, nw))
	}
	rb := k / blk * blkBytes
	if !qfits(nx, k, len(q)) || !qfits(nx, k/32, len(scales)) || !qfits(nx, k/32, len(sums)) {
		panic(fmt.Sprintf("simd: %s: %d tokens of %d values need len(q) ≥ %d and len(scales), len(sums) ≥ %d; have %d, %d, %d",
			fn, nx, k, nx*k, nx*k/32, len(q), len(scales), len(sums)))
	}
	if !qfits(nw, rb, len(w)) {
		panic(fmt.Sprintf("simd: %s: len(w) = %d < nw·rowbytes = %d·%d", fn, len(w), nw, rb))
	}
	if nw > len(out) || !qfits(nx-1, ldo, len(out)-nw) {
		panic(fmt.Sprintf("simd: %s: len(out) = %d < (nx-1)·ldo + nw = %d·%d + %d", fn, len(out), nx-1, ldo, nw))
	}
	if k == 0 {
		for i := 0; i < nx; i++ {
			clear(out[i*ldo : i*ldo+nw])
		}
		return false
	}
	return true
}

// StreamRead returns the sum of b as little-endian uint64 words (the last
// len(b)%8 bytes added one by one), reading b as fast as one core can: it is
// the bandwidth probe that the extend kernels are measured against, and the
// sum only keeps the loads from being optimised away.
func StreamRead(b []byte) uint64 {
	if qLevel > 0 {
		return streamReadAsm(b)
	}
	return streamReadGeneric(b)
}

// PeakGops runs, for about d on the calling goroutine's core, a
// register-only loop of the integer multiply-add that the Q8 kernels are
// built on at the level in use (VPDPBUSD on zmm with AVX-512 VNNI, VEX
// VPDPBUSD on ymm with AVX-VNNI, VPMADDUBSW+VPMADDWD+VPADDD on AVX2, SDOT on
// arm64 with the dot-product extension, SMULL/SMLAL2/SADALP on plain NEON,
// an int32 multiply-add in Go for the generic kernels) and returns the rate
// in multiply-adds per second / 1e9: the peak the GEMM is compared with.
func PeakGops(d time.Duration) float64 {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var n, calls int64
	start := time.Now()
	var el time.Duration
	for calls == 0 || el < d {
		n += qLevels[qSel[qkPeak]].peak()
		calls++
		el = time.Since(start)
	}
	return float64(n) / el.Seconds() / 1e9
}

// qfits reports whether a·b ≤ l without overflowing (a, b, l ≥ 0).
func qfits(a, b, l int) bool {
	return b == 0 || a <= l/b
}
