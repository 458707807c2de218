package simd

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// Benchmark shapes (Gemma 2B, PaliGemma 3B): prefill is 256 image tokens
// through a 2304→2304 projection (compute bound: 2.7 GFLOP on 21 MB of f32
// weights); GEMV is one token through the 2304→9216 MLP up-projection
// (memory bound: 85 MB of f32 weights per token, more than any L3 here).
var benchShapes = []struct {
	name      string
	nx, nw, k int
}{
	{"prefill", 256, 2304, 2304},
	{"gemv", 1, 9216, 2304},
}

func benchData(nx, nw, k int) (x, w []float32, w16 []uint16, out []float32) {
	rng := rand.New(rand.NewPCG(9, 9))
	x = make([]float32, nx*k)
	w = make([]float32, nw*k)
	w16 = make([]uint16, nw*k)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	for i := range w {
		w[i] = float32(rng.NormFloat64())
		w16[i] = toBF16(w[i])
	}
	return x, w, w16, make([]float32, nx*nw)
}

func report(b *testing.B, nx, nw, k, bytesPerWeight int) {
	s := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(2*float64(nx)*float64(nw)*float64(k)/s/1e9, "GFLOP/s")
	b.ReportMetric(float64(nw)*float64(k)*float64(bytesPerWeight)/s/1e9, "GB/s")
}

func BenchmarkGemmF32(b *testing.B) {
	for _, s := range benchShapes {
		x, w, _, out := benchData(s.nx, s.nw, s.k)
		for _, im := range impls() {
			b.Run(fmt.Sprintf("%s/%s", s.name, im.name), func(b *testing.B) {
				for b.Loop() {
					im.gemmF32(out, s.nw, x, s.nx, w, s.nw, s.k)
				}
				report(b, s.nx, s.nw, s.k, 4)
			})
		}
	}
}

func BenchmarkGemmBF16(b *testing.B) {
	for _, s := range benchShapes {
		x, _, w16, out := benchData(s.nx, s.nw, s.k)
		for _, im := range impls() {
			b.Run(fmt.Sprintf("%s/%s", s.name, im.name), func(b *testing.B) {
				for b.Loop() {
					im.gemmBF16(out, s.nw, x, s.nx, w16, s.nw, s.k)
				}
				report(b, s.nx, s.nw, s.k, 2)
			})
		}
	}
}

func BenchmarkDotF32(b *testing.B) {
	x, w, _, _ := benchData(1, 1, 2304)
	for _, im := range impls() {
		b.Run(im.name, func(b *testing.B) {
			for b.Loop() {
				im.dot(x, w)
			}
			s := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(2*2304/s/1e9, "GFLOP/s")
		})
	}
}
