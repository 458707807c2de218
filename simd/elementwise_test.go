package simd

import (
	"math"
	"math/rand/v2"
	"testing"
)

// elementwiseInputs are edge cases of the three kernels (both ends of Expf's range,
// tanh's |x| > 9 switch, zeros of both signs, infinities, NaN, subnormals) followed
// by random values over several scales.
func elementwiseInputs(rng *rand.Rand, n int) []float32 {
	xs := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 9, -9, 9.000001, -9.000001, 4.5, -4.5,
		expHi, expLo, 88.37, 88.38, -87.33, -87.34, 100, -100, 1e30, -1e30,
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), 1e-45, -1e-45, 1e-38,
		math.MaxFloat32, -math.MaxFloat32, 0.5, -0.5, 30, -30, 50, -50}
	for len(xs) < n {
		scale := []float64{1e-3, 0.1, 1, 5, 20, 90, 200}[rng.IntN(7)]
		xs = append(xs, float32(rng.NormFloat64()*scale))
	}
	return xs
}

func sameBits(a, b float32) bool {
	if a != a && b != b {
		return true // any NaN
	}
	return math.Float32bits(a) == math.Float32bits(b)
}

// checkElementwise runs the slice kernels on xs and compares every lane with the
// scalar Go functions, which the slice kernels twin bit for bit.
func checkElementwise(t *testing.T, xs []float32, m, cap float32) {
	t.Helper()
	got := append([]float32(nil), xs...)
	ExpShiftF32(got, m)
	for i, x := range xs {
		if want := Expf(x - m); !sameBits(got[i], want) {
			t.Fatalf("ExpShiftF32 lane %d of %d: exp(%g − %g) = %g, want %g", i, len(xs), x, m, got[i], want)
		}
	}
	got = append(got[:0], xs...)
	SoftcapF32(got, cap)
	for i, x := range xs {
		if want := Softcap(x, cap); !sameBits(got[i], want) {
			t.Fatalf("SoftcapF32 lane %d of %d: softcap(%g, %g) = %g, want %g", i, len(xs), x, cap, got[i], want)
		}
	}
	got = append(got[:0], xs...)
	GeluTanhF32(got, nil)
	for i, x := range xs {
		if want := GeluTanh(x); !sameBits(got[i], want) {
			t.Fatalf("GeluTanhF32 lane %d of %d: gelu(%g) = %g, want %g", i, len(xs), x, got[i], want)
		}
	}
	for _, a := range []float32{0.11785113, 1.0 / 3, -7, 0, float32(math.Inf(1))} {
		got = append(got[:0], xs...)
		ScaleF32(got, a)
		for i, x := range xs {
			if want := x * a; !sameBits(got[i], want) {
				t.Fatalf("ScaleF32 lane %d of %d: %g·%g = %g, want %g", i, len(xs), x, a, got[i], want)
			}
		}
	}
	// MaxF32 on the values without NaN (with one its result is unspecified); of
	// +0 and −0 either may come back.
	finite := got[:0]
	for _, x := range xs {
		if x == x {
			finite = append(finite, x)
		}
	}
	want := float32(math.Inf(-1))
	for _, x := range finite {
		want = max(want, x)
	}
	if m := MaxF32(finite); m != want {
		t.Fatalf("MaxF32 of %d values = %g, want %g", len(finite), m, want)
	}
	b := make([]float32, len(xs))
	for i := range b {
		b[i] = float32(i%7) - 2.5
	}
	got = append(got[:0], xs...)
	GeluTanhF32(got, b)
	for i, x := range xs {
		if want := GeluTanh(x) * b[i]; !sameBits(got[i], want) {
			t.Fatalf("GeluTanhF32 with b, lane %d of %d: gelu(%g)·%g = %g, want %g", i, len(xs), x, b[i], got[i], want)
		}
	}
}

func TestElementwiseMatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, generic := range []bool{false, true} {
		ForceGeneric(generic)
		for n := 0; n <= 41; n++ {
			checkElementwise(t, elementwiseInputs(rng, n)[:n], 0, 30)
		}
		xs := elementwiseInputs(rng, 1<<16)
		checkElementwise(t, xs, 0, 30)
		checkElementwise(t, xs, 3.5, 50)
		checkElementwise(t, xs, -1e30, 1)
	}
	ForceGeneric(false)
}

// TestMaxF32: MaxF32 is the max builtin over every length 0..40, with ties,
// infinities and signed zeros (either zero may come back for a tie of the two),
// with the assembly and the Go loop.
func TestMaxF32(t *testing.T) {
	rng := rand.New(rand.NewPCG(60, 60))
	inf := float32(math.Inf(1))
	special := []float32{0, float32(math.Copysign(0, -1)), inf, -inf, 1, 1, -3}
	for _, generic := range []bool{false, true} {
		ForceGeneric(generic)
		for n := 0; n <= 40; n++ {
			for trial := 0; trial < 20; trial++ {
				s := make([]float32, n)
				for i := range s {
					s[i] = float32(rng.NormFloat64() * 10)
					if rng.IntN(4) == 0 {
						s[i] = special[rng.IntN(len(special))]
					}
				}
				want := -inf
				for _, v := range s {
					want = max(want, v)
				}
				if got := MaxF32(s); got != want {
					t.Fatalf("generic %v: MaxF32(%v) = %v, want %v", generic, s, got, want)
				}
			}
		}
	}
	ForceGeneric(false)
}

// The scalar functions against float64 math: the approximations' own accuracy.
func TestElementwiseAccuracy(t *testing.T) {
	for x := -87.0; x < 88; x += 0.01 {
		want := math.Exp(float64(float32(x)))
		if got := float64(Expf(float32(x))); math.Abs(got-want) > 2.5e-7*want {
			t.Fatalf("Expf(%g) = %g, want %g", x, got, want)
		}
	}
	for x := -12.0; x < 12; x += 0.001 {
		want := math.Tanh(float64(float32(x)))
		if got := float64(Tanhf(float32(x))); math.Abs(got-want) > 3e-7 {
			t.Fatalf("Tanhf(%g) = %g, want %g", x, got, want)
		}
		v := float64(float32(x))
		want = 0.5 * v * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(v+0.044715*v*v*v)))
		if got := float64(GeluTanh(float32(x))); math.Abs(got-want) > 3e-7*math.Max(1, math.Abs(v)) {
			t.Fatalf("GeluTanh(%g) = %g, want %g", x, got, want)
		}
	}
	if Expf(-100) != 0 || !math.IsInf(float64(Expf(100)), 1) || !math.IsNaN(float64(Expf(float32(math.NaN())))) {
		t.Fatal("Expf special cases")
	}
	if Tanhf(20) != 1 || Tanhf(-20) != -1 || Tanhf(float32(math.Inf(-1))) != -1 {
		t.Fatal("Tanhf saturation")
	}
}

func FuzzElementwise(f *testing.F) {
	f.Add(float32(0), float32(1), float32(-88), float32(30), uint8(9))
	f.Add(float32(9.000001), float32(math.NaN()), float32(1e30), float32(50), uint8(17))
	f.Fuzz(func(t *testing.T, a, b, m, cap float32, n uint8) {
		if !(cap > 0) || math.IsInf(float64(cap), 0) {
			cap = 30
		}
		xs := make([]float32, int(n)%40)
		for i := range xs {
			xs[i] = a + float32(i)*b
			if i%5 == 3 {
				xs[i] = -xs[i]
			}
		}
		checkElementwise(t, xs, m, cap)
	})
}

// BenchmarkElementwise: ns per value of each kernel (the assembly where it exists;
// PGEDGE_SIMD=generic for the Go loops).
func BenchmarkElementwise(b *testing.B) {
	xs := elementwiseInputs(rand.New(rand.NewPCG(1, 1)), 16<<10)
	buf := make([]float32, len(xs))
	for _, k := range []struct {
		name string
		f    func()
	}{
		{"exp", func() { ExpShiftF32(buf, 1) }},
		{"softcap", func() { SoftcapF32(buf, 30) }},
		{"gelu", func() { GeluTanhF32(buf, nil) }},
		{"scale", func() { ScaleF32(buf, 0.5) }},
		{"max", func() { MaxF32(xs) }},
	} {
		b.Run(k.name, func(b *testing.B) {
			b.SetBytes(int64(4 * len(buf)))
			for b.Loop() {
				copy(buf, xs)
				k.f()
			}
		})
	}
}
