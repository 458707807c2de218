package harness

import (
	"math/rand/v2"
	"time"
	"unsafe"

	"github.com/pgedge/pgedge/quant"
	"github.com/pgedge/pgedge/simd"
)

// KernelFigures are the machine's integer-kernel limits, measured once per bench run
// on one core: the INT8 GEMM micro-kernel's multiply-add rate at a prefill shape
// (256 tokens × 2304 × 2304, PaliGemma 2 3B's attention width), the register-only
// loop of the multiply-add instruction it is built on (VPMADDUBSW+VPMADDWD on AVX2,
// SDOT on arm64), and how much faster the assembly is than the pure-Go twins on the
// same GEMM.
type KernelFigures struct {
	GemmGops, PeakGops, GenericSpeedup float64
}

// MeasureKernels measures KernelFigures (about 1.5 s).
func MeasureKernels() KernelFigures {
	const k, rows, tokens = gemmK, gemmRows, gemmTokens
	wq, q, scales, sums := gemmInputs(quant.Q8)
	out := make([]float32, tokens*rows)

	// rate times GemmQ8 over nx tokens for at least d and returns multiply-adds/s / 1e9.
	rate := func(nx int, d time.Duration) float64 {
		var n int
		t0 := time.Now()
		for time.Since(t0) < d || n == 0 {
			simd.GemmQ8(out, rows, q, scales, sums, nx, wq, rows, k)
			n++
		}
		return float64(n) * float64(nx) * rows * k / time.Since(t0).Seconds() / 1e9
	}
	var f KernelFigures
	f.PeakGops = simd.PeakGops(300 * time.Millisecond)
	f.GemmGops = rate(tokens, 500*time.Millisecond)
	// The generic twin is ~30× slower: compare on 16 tokens to keep this short.
	fast := rate(16, 200*time.Millisecond)
	simd.ForceGeneric(true)
	slow := rate(16, 200*time.Millisecond)
	simd.ForceGeneric(false)
	f.GenericSpeedup = fast / slow
	return f
}

// StreamKernel is the bandwidth probe's read loop: SIMD loads, so the probe measures
// the memory system rather than the scalar load ports.
func StreamKernel(s []uint64) uint64 {
	if len(s) == 0 {
		return 0
	}
	return simd.StreamRead(unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), 8*len(s)))
}

// The GEMM shape the kernel figures use: a prefill of 256 tokens through a 2304×2304
// matrix (PaliGemma 2 3B's attention width).
const gemmK, gemmRows, gemmTokens = 2304, 2304, 256

// gemmInputs are that GEMM's operands, the same every run: random trained-like weights
// quantized as qt, and random activations quantized per block.
func gemmInputs(qt quant.Type) (wq []byte, q []int8, scales []float32, sums []int32) {
	r := rand.New(rand.NewPCG(1, 1))
	w := make([]float32, gemmRows*gemmK)
	for i := range w {
		w[i] = float32(r.NormFloat64()) * 0.02
	}
	wq, err := quant.Quantize(qt, w, gemmRows, gemmK, nil)
	if err != nil {
		panic(err) // random finite weights always quantize
	}
	x := make([]float32, gemmTokens*gemmK)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	q = make([]int8, len(x))
	scales = make([]float32, len(x)/quant.ActBlock)
	sums = make([]int32, len(scales))
	simd.QuantizeActs(x, q, scales, sums)
	return wq, q, scales, sums
}
