package infer

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/pgedge/pgedge/simd"
)

// TestSoftmaxNaN: a NaN among the scores makes every probability NaN, whatever
// simd.MaxF32 returns for it (its value is unspecified then), with the
// assembly and the Go loops.
func TestSoftmaxNaN(t *testing.T) {
	for _, generic := range []bool{false, true} {
		simd.ForceGeneric(generic)
		for _, s := range [][]float32{{1, 2, float32(math.NaN()), 3, 0.5}, append(make([]float32, 15), float32(math.NaN()), 4)} {
			softmaxInPlace(s)
			for i, v := range s {
				if !math.IsNaN(float64(v)) {
					t.Errorf("generic %v: softmax with a NaN: [%d] = %v, want NaN", generic, i, v)
				}
			}
		}
	}
	simd.ForceGeneric(false)
}

// TestNormRowsInterleaved: the 4-row norms are the one-row ones, bit for bit, for
// every row count up to 9 (groups of 4 and the rows after them).
func TestNormRowsInterleaved(t *testing.T) {
	rng := rand.New(rand.NewPCG(62, 62))
	for _, width := range []int{1, 37, 72} {
		w, b := make([]float32, width), make([]float32, width)
		for i := range w {
			w[i], b[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
		}
		for rows := 1; rows <= 9; rows++ {
			x := make([]float32, rows*width)
			for i := range x {
				x[i] = float32(rng.NormFloat64()*3 + 1)
			}
			got, want := make([]float32, len(x)), make([]float32, len(x))
			rmsNormRows(got, x, w, 1e-6)
			for r := 0; r < rows; r++ {
				rmsNorm(want[r*width:(r+1)*width], x[r*width:(r+1)*width], w, 1e-6)
			}
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("rms %d×%d: [%d] = %v, want %v", rows, width, i, got[i], want[i])
				}
			}
			layerNormRows(got, x, w, b, 1e-6)
			for r := 0; r < rows; r++ {
				layerNorm(want[r*width:(r+1)*width], x[r*width:(r+1)*width], w, b, 1e-6)
			}
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("layer %d×%d: [%d] = %v, want %v", rows, width, i, got[i], want[i])
				}
			}
		}
	}
}

// TestNormRowsParallel: the pool's norms are the serial ones, bit for bit.
func TestNormRowsParallel(t *testing.T) {
	rng := rand.New(rand.NewPCG(61, 61))
	e := &engine{pool: NewPool(2)}
	defer e.pool.Close()
	const width = 72
	for _, rows := range []int{1, parallelRowsMin - 1, parallelRowsMin, 3*rowChunk + 5, 257} {
		x := make([]float32, rows*width)
		w, b := make([]float32, width), make([]float32, width)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		for i := range w {
			w[i], b[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
		}
		got, want := make([]float32, len(x)), make([]float32, len(x))
		e.rmsNormRows(got, x, w, 1e-6)
		rmsNormRows(want, x, w, 1e-6)
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("rms, %d rows: [%d] = %v, serial %v", rows, i, got[i], want[i])
			}
		}
		e.layerNormRows(got, x, w, b, 1e-6)
		layerNormRows(want, x, w, b, 1e-6)
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("layer, %d rows: [%d] = %v, serial %v", rows, i, got[i], want[i])
			}
		}
	}
}

// TestQuantizeActsParallel: activations quantized on the pool (many rows, padded
// to a stored width) are those of one row at a time.
func TestQuantizeActsParallel(t *testing.T) {
	rng := rand.New(rand.NewPCG(62, 62))
	e := &engine{pool: NewPool(2)}
	defer e.pool.Close()
	const cols, stride = 1150, 1152
	for _, n := range []int{1, parallelRowsMin, 3*rowChunk + 7} {
		x := make([]float32, n*cols)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		e.quantizeActs(x, n, cols, stride)
		row := make([]float32, stride)
		q, s, m := make([]int8, stride), make([]float32, stride/32), make([]int32, stride/32)
		for i := 0; i < n; i++ {
			clear(row)
			copy(row, x[i*cols:(i+1)*cols])
			quantizeActs(row, q, s, m)
			for j := range q {
				if q[j] != e.acts.q[i*stride+j] {
					t.Fatalf("n=%d row %d: q[%d] = %d, alone %d", n, i, j, e.acts.q[i*stride+j], q[j])
				}
			}
			for b := range s {
				if s[b] != e.acts.scales[i*len(s)+b] || m[b] != e.acts.sums[i*len(s)+b] {
					t.Fatalf("n=%d row %d block %d: scale, sum %v %d, alone %v %d", n, i, b, e.acts.scales[i*len(s)+b], e.acts.sums[i*len(s)+b], s[b], m[b])
				}
			}
		}
	}
}
