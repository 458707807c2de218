package runtime

import (
	"math"
	"testing"
)

func TestExpfTanhf(t *testing.T) {
	for x := float32(-87); x <= 88; x += 0.0137 {
		want := math.Exp(float64(x))
		if got := float64(expf(x)); math.Abs(got-want) > 2.5e-7*want {
			t.Fatalf("expf(%g) = %g, want %g", x, got, want)
		}
	}
	for x := float32(-12); x <= 12; x += 0.00071 {
		want := math.Tanh(float64(x))
		if got := float64(tanhf(x)); math.Abs(got-want) > 3e-7 {
			t.Fatalf("tanhf(%g) = %g, want %g", x, got, want)
		}
	}
	if expf(-100) != 0 || !math.IsInf(float64(expf(100)), 1) || !math.IsNaN(float64(expf(float32(math.NaN())))) {
		t.Fatal("expf limits")
	}
}
