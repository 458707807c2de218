// Package simd holds the matrix kernels of pgedge's linear layers: a dot
// product and y[i, r] = x[i,:]·W[r,:] with W stored [out, in] row-major in
// float32 or bfloat16.
//
// Each architecture with assembly (amd64 with AVX2+FMA, arm64 with NEON) has
// a register-blocked micro-kernel in gemm_$GOARCH.s, driven by a Go loop over
// tiles (gemm_asm.go) so that every assembly call lasts only microseconds:
// assembly is never preempted asynchronously (a 700 ms assembly loop was
// measured holding a GC stop-the-world for 683 ms). The portable Go twin
// (gemm_go.go) is always compiled; it is what runs under the purego build tag,
// on other architectures, on CPUs without AVX2/FMA, and when the environment
// variable PGEDGE_SIMD=generic is set at start-up. Which level each kind of
// float kernel runs at (dot, gemv, gemm, elementwise: generic, avx2-fma,
// avx512f on amd64; generic, neon on arm64) is chosen once by
// dispatch_float.go, after a self-check against the twin, as dispatch.go does
// for the integer kernels. The tests compare every level the CPU can run
// against that twin and a float64 reference.
//
// Three algorithms, chosen per call from the shape (see gemm_asm.go):
//
//   - GEMV, nx < tileT (extend, one token): 4 weight rows streamed per call,
//     bfloat16 widened in registers; bound by DRAM bandwidth.
//   - nx ≥ 6 and nw ≥ 16 on amd64 (prefill): 16-row weight panels packed
//     (transposed, bf16 widened) once per k block and token block, then a
//     6-token × 16-row broadcast micro-kernel with no horizontal sums.
//   - otherwise: a 4-row × tileT-token dot-product micro-kernel on the
//     weights in place (bf16 panels widened into a stack buffer first).
//
// On the Zen 3 VM this was developed on (AVX2+FMA, 2 shared vCPUs), the
// 256×2304×2304 prefill runs at ~70–75 GFLOP/s in float32 and bfloat16
// (generic Go: 2–4), and the 1×9216×2304 GEMV at 9–12 GB/s of float32
// weights and 6.5–8 GB/s of bfloat16 weights (generic: 6–7 and ~2), against
// ~10–13 GB/s for a plain read of the same memory.
//
// Results differ from a sequential float32 sum only by summation order (and
// FMA): the error bound is the usual (k+1)·2⁻²⁴·Σ|x·w| for a k-term dot product.
// NaN and ±Inf propagate as in any summation order.
//
// One exception, GemmBF16's prefill on CPUs with AVX-512 BF16 (Kernels()
// names avx512bf16; nx ≥ 24, nw ≥ 16, k even ≥ 16): the activations are
// rounded to bfloat16 (to nearest even, 8 significant bits) and multiplied
// with VDPBF16PS, as llama.cpp's BF16 path does, for 2× the multiply-adds per
// instruction (gemmbf16dot_amd64.go). The bound becomes
// 2⁻⁸·Σ|x·w| + (k+2)·2⁻²⁴·(1+2⁻⁸)·Σ|x·w|, plus 2⁻¹²⁶·(Σ|x| + Σ|w| + 2k)
// because denormal inputs and partial sums are flushed to zero, and
// activations of magnitude ≥ 2¹²⁸·(1−2⁻⁹) become ±Inf. On the reference
// cases (infer's TestReference) this moved the bf16-weight logits by
// 4.9e-3 (pg1-small) and 0.115 (pg2-small, a random model that amplifies
// perturbations) of a row's max |value|. The GEMV (extend) and every other
// shape keep float32 activations; UseBF16Activations(false) turns the
// rounding off.
package simd

import "fmt"

// DotF32 returns Σ a[i]·b[i]. It panics if the lengths differ.
func DotF32(a, b []float32) float32 {
	if len(a) != len(b) {
		panic(fmt.Sprintf("simd: DotF32 lengths differ: %d and %d", len(a), len(b)))
	}
	if useDotAsm {
		return dotF32Asm(a, b)
	}
	return dotF32Generic(a, b)
}

// GemmF32 computes out[i*ldo + r] = Σ_kk x[i*k + kk] · w[r*k + kk] for
// i < nx, r < nw: x holds nx rows (tokens) of k values, w holds nw rows
// (output features) of k values, both row-major. Only those nx·nw entries
// of out are written; k = 0 writes zeros. It panics if a slice is too short,
// a size is negative, or ldo < nw while nx > 1.
func GemmF32(out []float32, ldo int, x []float32, nx int, w []float32, nw int, k int) {
	if !checkGemm("GemmF32", len(out), ldo, len(x), nx, len(w), nw, k) {
		return
	}
	if useGemvAsm || useGemmAsm {
		gemmF32Asm(out, ldo, x, nx, w, nw, k)
		return
	}
	gemmF32Generic(out, ldo, x, nx, w, nw, k)
}

// GemmBF16 is GemmF32 with w in bfloat16: each uint16 is the top half of a
// float32's bits (as stored little-endian in safetensors), so the weight is
// math.Float32frombits(uint32(w) << 16) exactly. x and out are float32.
func GemmBF16(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int) {
	if !checkGemm("GemmBF16", len(out), ldo, len(x), nx, len(w), nw, k) {
		return
	}
	if useGemvAsm || useGemmAsm {
		gemmBF16Asm(out, ldo, x, nx, w, nw, k)
		return
	}
	gemmBF16Generic(out, ldo, x, nx, w, nw, k)
}

// checkGemm validates the arguments once, so that the kernels may index
// without checks. It reports whether there is anything to compute.
func checkGemm(fn string, lenOut, ldo, lenX, nx, lenW, nw, k int) bool {
	if nx < 0 || nw < 0 || k < 0 || ldo < 0 {
		panic(fmt.Sprintf("simd: %s: negative size (nx=%d nw=%d k=%d ldo=%d)", fn, nx, nw, k, ldo))
	}
	if nx == 0 || nw == 0 {
		return false
	}
	if nx > 1 && ldo < nw {
		panic(fmt.Sprintf("simd: %s: ldo %d < nw %d", fn, ldo, nw))
	}
	if !fits(nx, k, lenX) {
		panic(fmt.Sprintf("simd: %s: len(x) = %d < nx·k = %d·%d", fn, lenX, nx, k))
	}
	if !fits(nw, k, lenW) {
		panic(fmt.Sprintf("simd: %s: len(w) = %d < nw·k = %d·%d", fn, lenW, nw, k))
	}
	if nw > lenOut || !fits(nx-1, ldo, lenOut-nw) {
		panic(fmt.Sprintf("simd: %s: len(out) = %d < (nx-1)·ldo + nw = %d·%d + %d", fn, lenOut, nx-1, ldo, nw))
	}
	return true
}

// fits reports whether a·b ≤ l without overflowing (a, b, l ≥ 0).
func fits(a, b, l int) bool {
	return b == 0 || a <= l/b
}

// impl is one implementation level, for the tests and benchmarks: its
// functions run the exported ones with every kind at that level.
type impl struct {
	name     string // as Kernels names it: "generic", "avx2-fma", "avx512f+avx2-fma", "neon"
	level    int
	dot      func(a, b []float32) float32
	gemmF32  func(out []float32, ldo int, x []float32, nx int, w []float32, nw int, k int)
	gemmBF16 func(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int)
}

// impls lists the implementations this machine can run, generic first.
func impls() []impl {
	var l []impl
	for lv, fl := range fLevels {
		// avx512bf16 rounds the activations to bf16: its own bound and tests
		// (gemmbf16dot_amd64_test.go), not the float32 one these use.
		if fl.have && fl.name != "avx512bf16" {
			l = append(l, levelImpl(lv))
		}
	}
	return l
}

// levelImpl is the implementation of level lv. Its functions switch the
// kernels to that level for the call (for the tests: not safe while other
// kernels run).
func levelImpl(lv int) impl {
	sel := fUniform(lv)
	return impl{
		name: fLevelName(lv), level: lv,
		dot: func(a, b []float32) float32 {
			defer fApply(fSel)
			fApply(sel)
			return DotF32(a, b)
		},
		gemmF32: func(out []float32, ldo int, x []float32, nx int, w []float32, nw int, k int) {
			defer fApply(fSel)
			fApply(sel)
			GemmF32(out, ldo, x, nx, w, nw, k)
		},
		gemmBF16: func(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int) {
			defer fApply(fSel)
			fApply(sel)
			GemmBF16(out, ldo, x, nx, w, nw, k)
		},
	}
}

// ForceGeneric switches every kernel to its pure-Go twin (true) or back to the
// choice made at start-up (false), so that one run can measure how much the assembly
// gains (pgedge bench's generic_speedup). Not safe while kernels run.
func ForceGeneric(on bool) {
	if on {
		fApply([fkCount]int{})
		qLevel = 0
		qUseLevel(0)
		return
	}
	fApply(fStartSel)
	qLevel, qSel = startQLevel, startQSel
}

var startQLevel, startQSel = qLevel, qSel
