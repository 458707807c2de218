package simd

import (
	"math"
	"math/rand/v2"
	"testing"
)

// axpyWithin checks y + a·x against float64 arithmetic: fused (one rounding) or not
// (two), the error is within 2 ulps of |y| + |a·x|.
func axpyWithin(t *testing.T, got, y0 []float32, a float32, x []float32) {
	t.Helper()
	for i := range got {
		want := float64(y0[i]) + float64(a)*float64(x[i])
		tol := 2 * math.Pow(2, -23) * (math.Abs(float64(y0[i])) + math.Abs(float64(a)*float64(x[i])))
		if math.Abs(float64(got[i])-want) > tol+1e-45 {
			t.Fatalf("n=%d i=%d: got %g, want %g (tol %g)", len(got), i, got[i], want, tol)
		}
	}
}

func TestAxpyF32(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n <= 70; n++ {
		for off := 0; off < 3; off++ { // misaligned starts
			xs := make([]float32, n+off)
			ys := make([]float32, n+off)
			for i := range xs {
				xs[i], ys[i] = float32(r.NormFloat64()), float32(r.NormFloat64())
			}
			x, y := xs[off:], ys[off:]
			y0 := append([]float32(nil), y...)
			a := float32(r.NormFloat64())
			AxpyF32(y, a, x)
			axpyWithin(t, y, y0, a, x)
		}
	}
	// Non-finite values propagate.
	x := make([]float32, 16)
	y := make([]float32, 16)
	x[3], x[12] = float32(math.Inf(1)), float32(math.NaN())
	AxpyF32(y, 2, x)
	if !math.IsInf(float64(y[3]), 1) || !math.IsNaN(float64(y[12])) {
		t.Fatalf("non-finite values lost: %v", y)
	}
	if allocs := testing.AllocsPerRun(100, func() { AxpyF32(y, 1, x) }); allocs != 0 {
		t.Fatalf("AxpyF32 allocates %.0f times", allocs)
	}
}

func FuzzAxpyF32(f *testing.F) {
	f.Add(uint16(17), float32(0.5), uint64(1))
	f.Fuzz(func(t *testing.T, n uint16, a float32, seed uint64) {
		if math.IsNaN(float64(a)) || math.IsInf(float64(a), 0) || math.Abs(float64(a)) > 1e6 {
			return
		}
		r := rand.New(rand.NewPCG(seed, 3))
		x := make([]float32, n%300)
		y := make([]float32, len(x))
		for i := range x {
			x[i], y[i] = float32(r.NormFloat64()), float32(r.NormFloat64())
		}
		y0 := append([]float32(nil), y...)
		AxpyF32(y, a, x)
		axpyWithin(t, y, y0, a, x)
	})
}
