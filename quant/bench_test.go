package quant

import (
	"math/rand/v2"
	"testing"
)

func benchWeights(dist, rows, cols int) []float32 {
	return genMatrix(rand.New(rand.NewPCG(9, 9)), dist, rows, cols, 1)
}

func benchQuantize(b *testing.B, t Type, dist int) {
	const rows, cols = 16, 2304
	w := benchWeights(dist, rows, cols)
	b.SetBytes(int64(4 * len(w)))
	b.ResetTimer()
	for range b.N {
		if _, err := Quantize(t, w, rows, cols, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(w))/b.Elapsed().Seconds()/1e6, "Mweights/s")
}

func BenchmarkQuantizeQ8(b *testing.B)        { benchQuantize(b, Q8, distGauss) }
func BenchmarkQuantizeQ4(b *testing.B)        { benchQuantize(b, Q4, distGauss) }
func BenchmarkQuantizeQ4Trained(b *testing.B) { benchQuantize(b, Q4, distTrained) }
func BenchmarkQuantizeBF16(b *testing.B)      { benchQuantize(b, BF16, distGauss) }

func benchDot(b *testing.B, t Type) {
	const cols = 9216
	w := benchWeights(distGauss, 1, cols)
	x := benchWeights(distT4, 1, cols)
	row, err := Quantize(t, w, 1, cols, nil)
	if err != nil {
		b.Fatal(err)
	}
	q := make([]int8, cols)
	sc := make([]float32, cols/ActBlock)
	sums := make([]int32, cols/ActBlock)
	QuantizeActivations(x, q, sc, sums)
	b.SetBytes(int64(len(row)))
	b.ResetTimer()
	var s float32
	for range b.N {
		switch t {
		case Q8:
			s += DotQ8(row, q, sc, sums, cols)
		case Q4:
			s += DotQ4(row, q, sc, sums, cols)
		}
	}
	sink = s
}

var sink float32

func BenchmarkDotQ8(b *testing.B) { benchDot(b, Q8) }
func BenchmarkDotQ4(b *testing.B) { benchDot(b, Q4) }

func BenchmarkQuantizeActivations(b *testing.B) {
	const cols = 9216
	x := benchWeights(distT4, 1, cols)
	q := make([]int8, cols)
	sc := make([]float32, cols/ActBlock)
	sums := make([]int32, cols/ActBlock)
	b.SetBytes(4 * cols)
	for range b.N {
		QuantizeActivations(x, q, sc, sums)
	}
}
