package harness

import (
	"math/rand/v2"
	"time"
	"unsafe"

	"github.com/pgedge/pgedge/infer"
	"github.com/pgedge/pgedge/quant"
	"github.com/pgedge/pgedge/simd"
)

// KernelFigures are the machine's integer-kernel limits, measured once per bench run
// on one core: the INT8 GEMM's multiply-add rate at a prefill shape (256 tokens ×
// 2304 × 2304, PaliGemma 2 3B's attention width) in the layout the run's weights
// are in (Layout: "panels" where infer packs them at load, else the file's rows),
// the register-only loop of the multiply-add instruction it is built on
// (VPDPBUSD on AVX-512 VNNI, VPMADDUBSW+VPMADDWD on AVX2, SDOT on arm64), and how
// much faster the assembly is than the pure-Go twins on the same GEMM.
type KernelFigures struct {
	GemmGops, PeakGops, GenericSpeedup float64
	Layout                             string
}

// MeasureKernels measures KernelFigures for weights in layout ("panels" or
// "rows"; about 1.5 s).
func MeasureKernels(layout string) KernelFigures {
	in := newGemmInputs(quant.Q8)
	// rate times gemm over nx tokens for at least d and returns multiply-adds/s / 1e9.
	rate := func(gemm func([]float32, int), nx int, d time.Duration) float64 {
		out := make([]float32, nx*gemmRows)
		var n int
		t0 := time.Now()
		for time.Since(t0) < d || n == 0 {
			gemm(out, nx)
			n++
		}
		return float64(n) * float64(nx) * gemmRows * gemmK / time.Since(t0).Seconds() / 1e9
	}
	f := KernelFigures{Layout: layout}
	f.PeakGops = simd.PeakGops(300 * time.Millisecond)
	f.GemmGops = rate(in.runner(layout), gemmTokens, 500*time.Millisecond)
	// The generic twin is ~30× slower: compare on 16 tokens to keep this short, on
	// the rows, the layout a build without assembly runs (the panel kernels' Go
	// twin is a slower reference, not a path anyone runs).
	rows := in.runner("rows")
	fast := rate(rows, 16, 200*time.Millisecond)
	simd.ForceGeneric(true)
	slow := rate(rows, 16, 200*time.Millisecond)
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
// quantized as qt (w; panels: the same packed for the panel kernels, where they
// exist), and random activations quantized per block.
type gemmInputs struct {
	qt        quant.Type
	w, panels []byte
	q         []int8
	scales    []float32
	sums      []int32
}

func newGemmInputs(qt quant.Type) *gemmInputs {
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
	in := &gemmInputs{qt: qt, w: wq, q: make([]int8, len(x)), scales: make([]float32, len(x)/quant.ActBlock)}
	in.sums = make([]int32, len(in.scales))
	simd.QuantizeActs(x, in.q, in.scales, in.sums)
	switch {
	case qt == quant.Q8 && simd.Q8PanelsFast():
		in.panels = append([]byte(nil), wq...)
		simd.PackQ8Panels(in.panels, gemmRows, gemmK)
	case qt == quant.Q4 && simd.Q4PanelsFast():
		in.panels = append([]byte(nil), wq...)
		simd.PackQ4Panels(in.panels, gemmRows, gemmK)
	}
	return in
}

// runner returns the GEMM of the first nx ≤ gemmTokens tokens into out, as a
// prefill runs it on weights in layout: in panels (laying out the activations
// each call, as every linear layer does, and in infer's tiles of PanelTileRows rows)
// where layout is "panels" and this CPU has the panel kernels, else on the rows.
// One runner per goroutine.
func (in *gemmInputs) runner(layout string) func(out []float32, nx int) {
	const nb = gemmK / quant.ActBlock
	if layout == "panels" && in.panels != nil {
		gemm := simd.GemmQ8Panels
		if in.qt == quant.Q4 {
			gemm = simd.GemmQ4Panels
		}
		var p simd.QPanels
		rb := quant.RowBytes(in.qt, gemmK)
		return func(out []float32, nx int) {
			p.Prepare(in.q[:nx*gemmK], in.scales[:nx*nb], in.sums[:nx*nb], nx, gemmK)
			// In infer's tiles: a tile's panels stay in L2 while every token block
			// passes, where one call over all 2304 rows re-read the 5.6 MB matrix
			// from L3 per token block (one Xeon core: 225 against 262 G/s).
			for r := 0; r < gemmRows; r += infer.PanelTileRows {
				gemm(out[r:], gemmRows, &p, in.panels[r*rb:], min(infer.PanelTileRows, gemmRows-r))
			}
		}
	}
	gemm := simd.GemmQ8
	if in.qt == quant.Q4 {
		gemm = simd.GemmQ4
	}
	return func(out []float32, nx int) {
		gemm(out, gemmRows, in.q, in.scales, in.sums, nx, in.w, gemmRows, gemmK)
	}
}
