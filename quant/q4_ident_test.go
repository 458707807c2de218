package quant

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"
)

// identCases are matrices that exercise the Q4 and Q8 searches: the three
// distributions of the accuracy table, importance, and degenerate blocks
// (constant, tiny spans, zeros, a single spike, subnormal-scale weights).
func identCases() []struct {
	name       string
	w          []float32
	rows, cols int
	imp        []float32
} {
	type tc = struct {
		name       string
		w          []float32
		rows, cols int
		imp        []float32
	}
	var cs []tc
	for d := range distNames {
		rng := rand.New(rand.NewPCG(uint64(d)+7, 3))
		cs = append(cs, tc{distNames[d], genMatrix(rng, d, 24, 2304, 1), 24, 2304, nil})
	}
	rng := rand.New(rand.NewPCG(5, 5))
	imp := make([]float32, 1024)
	for i := range imp {
		imp[i] = float32(math.Exp(2 * rng.NormFloat64()))
	}
	cs = append(cs, tc{"importance", genMatrix(rng, distTrained, 16, 1024, 1), 16, 1024, imp})
	const cols = 256
	var deg []float32
	add := func(f func(i int) float32) {
		for i := 0; i < cols; i++ {
			deg = append(deg, f(i))
		}
	}
	add(func(int) float32 { return 0.5 })
	add(func(i int) float32 { return float32(i%3) * 1e-30 })
	add(func(i int) float32 {
		if i == 77 {
			return 3
		}
		return 0
	})
	add(func(i int) float32 {
		if i < 32 {
			return 1
		}
		return float32(rng.NormFloat64()) * 1e-36
	})
	add(func(i int) float32 { return float32(rng.NormFloat64()) * 1e-40 })
	add(func(i int) float32 { return float32(i/32) * 0.1 })
	add(func(i int) float32 {
		if i%32 == 5 {
			return -1
		}
		return 1 + float32(i)*1e-7
	})
	add(func(i int) float32 { return float32(rng.NormFloat64()) * 1e5 })
	cs = append(cs, tc{"degenerate", deg, len(deg) / cols, cols, nil})
	return cs
}

// TestQuantizeBitIdentical: the vectorised Q4 and Q8 searches write the
// same bytes as the scalar encoders they replaced (q4ref_test.go).
func TestQuantizeBitIdentical(t *testing.T) {
	for _, c := range identCases() {
		for _, typ := range []Type{Q8, Q4} {
			got, err := Quantize(typ, c.w, c.rows, c.cols, c.imp)
			if err != nil {
				t.Fatal(err)
			}
			want, err := refQuantize(typ, c.w, c.rows, c.cols, c.imp)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				rb := RowBytes(typ, c.cols)
				for i := range got {
					if got[i] != want[i] {
						t.Errorf("%s %v: first difference at byte %d (row %d, block %d)", c.name, typ, i, i/rb, i%rb/BlockBytes(typ))
						break
					}
				}
			}
		}
	}
}
