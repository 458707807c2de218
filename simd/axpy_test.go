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

// axpyRowsCase checks AxpyRowsF32 against AxpyF32 row by row: the same bits.
func axpyRowsCase(t *testing.T, r *rand.Rand, d, rows, off int) {
	t.Helper()
	xs := make([]float32, rows*d+off)
	ys := make([]float32, d+off)
	for i := range xs {
		xs[i] = float32(r.NormFloat64())
	}
	for i := range ys {
		ys[i] = float32(r.NormFloat64())
	}
	a := make([]float32, rows)
	for i := range a {
		a[i] = float32(r.NormFloat64())
	}
	x, y := xs[off:], ys[off:]
	want := append([]float32(nil), y...)
	for j := range a {
		AxpyF32(want, a[j], x[j*d:(j+1)*d])
	}
	AxpyRowsF32(y, a, x)
	for i := range y {
		if math.Float32bits(y[i]) != math.Float32bits(want[i]) {
			t.Fatalf("d=%d rows=%d off=%d: y[%d] = %v, AxpyF32 row by row %v", d, rows, off, i, y[i], want[i])
		}
	}
}

func TestAxpyRowsF32(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, d := range []int{0, 1, 7, 8, 9, 31, 32, 63, 64, 65, 72, 128, 200, 256} {
		for _, rows := range []int{0, 1, 2, 3, 17, 64} {
			for off := 0; off < 2; off++ { // misaligned starts
				axpyRowsCase(t, r, d, rows, off)
			}
		}
	}
	// Non-finite values propagate.
	x := make([]float32, 3*16)
	y := make([]float32, 16)
	x[16+3], x[32+12] = float32(math.Inf(1)), float32(math.NaN())
	AxpyRowsF32(y, []float32{1, 2, 3}, x)
	if !math.IsInf(float64(y[3]), 1) || !math.IsNaN(float64(y[12])) {
		t.Fatalf("non-finite values lost: %v", y)
	}
	a := []float32{1, 2, 3}
	if allocs := testing.AllocsPerRun(100, func() { AxpyRowsF32(y, a, x) }); allocs != 0 {
		t.Fatalf("AxpyRowsF32 allocates %.0f times", allocs)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("AxpyRowsF32 with too few rows did not panic")
		}
	}()
	AxpyRowsF32(y, a, x[:47])
}

func FuzzAxpyRowsF32(f *testing.F) {
	f.Add(uint16(72), uint8(5), uint64(1))
	f.Fuzz(func(t *testing.T, d uint16, rows uint8, seed uint64) {
		axpyRowsCase(t, rand.New(rand.NewPCG(seed, 5)), int(d%300), int(rows%80), int(seed%2))
	})
}
