package infer

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestVisionAttentionMatchesNaive checks the blocked two-GEMM attention against a
// float64 softmax(Q·Kᵀ·scale)·V on patch counts that leave partial query blocks
// (the oracle's tiny models have fewer patches than one block), with 1 and 2 threads.
func TestVisionAttentionMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, tc := range []struct{ n, heads, hd, threads int }{
		{1, 2, 8, 1}, {7, 3, 16, 2}, {96, 2, 72, 2}, {97, 1, 72, 1}, {256, 4, 72, 2}, {200, 3, 20, 2},
	} {
		d := tc.heads * tc.hd
		pool := NewPool(tc.threads)
		scale := float32(math.Pow(float64(tc.hd), -0.5))
		q, k, v := make([]float32, tc.n*d), make([]float32, tc.n*d), make([]float32, tc.n*d)
		for _, x := range [][]float32{q, k, v} {
			for i := range x {
				x[i] = float32(rng.NormFloat64() * 2)
			}
		}
		att := make([]float32, tc.n*d)
		a := &fullAttention{pool: pool, n: tc.n, hd: tc.hd, heads: tc.heads, group: 1, scale: scale}
		a.run(q, att, d, k, v, tc.hd, d)
		pool.Close()
		var worst float64
		p := make([]float64, tc.n)
		for h := 0; h < tc.heads; h++ {
			for i := 0; i < tc.n; i++ {
				mx := math.Inf(-1)
				for j := range p {
					s := 0.0
					for e := 0; e < tc.hd; e++ {
						s += float64(q[i*d+h*tc.hd+e]) * float64(k[j*d+h*tc.hd+e])
					}
					p[j] = s * float64(scale)
					mx = math.Max(mx, p[j])
				}
				sum := 0.0
				for j := range p {
					p[j] = math.Exp(p[j] - mx)
					sum += p[j]
				}
				for e := 0; e < tc.hd; e++ {
					want := 0.0
					for j := range p {
						want += p[j] / sum * float64(v[j*d+h*tc.hd+e])
					}
					worst = math.Max(worst, math.Abs(float64(att[i*d+h*tc.hd+e])-want))
				}
			}
		}
		// float32 sums of n terms (sequential in the Go twin): bound relative to max |v|.
		vmax := 0.0
		for _, x := range v {
			vmax = math.Max(vmax, math.Abs(float64(x)))
		}
		if worst > 5e-6*vmax {
			t.Errorf("n=%d heads=%d hd=%d threads=%d: max |Δ| %.3g against float64 (max |v| %.3g)", tc.n, tc.heads, tc.hd, tc.threads, worst, vmax)
		}
	}
}

// BenchmarkVisionAttention: one SigLIP layer's attention at 224 px (256 patches,
// 16 heads of 72), 2 threads: 151 M multiply-adds.
func BenchmarkVisionAttention(b *testing.B) {
	const n, heads, hd = 256, 16, 72
	rng := rand.New(rand.NewPCG(7, 9))
	q, k, v, att := make([]float32, n*heads*hd), make([]float32, n*heads*hd), make([]float32, n*heads*hd), make([]float32, n*heads*hd)
	for _, x := range [][]float32{q, k, v} {
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
	}
	pool := NewPool(2)
	defer pool.Close()
	a := &fullAttention{pool: pool, n: n, hd: hd, heads: heads, group: 1, scale: float32(math.Pow(hd, -0.5))}
	for b.Loop() {
		a.run(q, att, heads*hd, k, v, hd, heads*hd)
	}
	b.ReportMetric(2*n*n*hd*heads*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gops")
}
