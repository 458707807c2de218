package quant

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"
)

// pg2Layer is one decoder layer of PaliGemma 2 3B (Gemma 2 2B): hidden
// 2304, FFN 9216, 8 query heads and 4 KV heads of 256; weights [out,in].
var pg2Layer = []struct {
	name       string
	rows, cols int
}{
	{"q", 2048, 2304}, {"k", 1024, 2304}, {"v", 1024, 2304}, {"o", 2304, 2048},
	{"gate", 9216, 2304}, {"up", 9216, 2304}, {"down", 2304, 9216},
}

const (
	distGauss = iota
	distT4
	distTrained
)

var distNames = [...]string{"Gaussian", "Student-t(4)", "trained-like"}

// genMatrix returns the first rows/sub rows of a rows×cols matrix:
// Gaussian; Student-t with 4 degrees of freedom (N/sqrt(χ²₄/4), χ²₄ =
// −2·ln(U₁U₂)); or trained-like: Gaussian × a log-normal row scale (σ 0.5)
// × 20 on round(cols/1000) random input columns. Rows are independent, so a
// prefix of rows is an unbiased subsample.
func genMatrix(rng *rand.Rand, dist, rows, cols, sub int) []float32 {
	nr := rows / sub
	w := make([]float32, nr*cols)
	var colScale []float32
	if dist == distTrained {
		colScale = make([]float32, cols)
		for i := range colScale {
			colScale[i] = 1
		}
		for _, c := range rng.Perm(cols)[:(cols+500)/1000] {
			colScale[c] = 20
		}
	}
	for r := 0; r < nr; r++ {
		row := w[r*cols : (r+1)*cols]
		switch dist {
		case distGauss:
			for c := range row {
				row[c] = float32(rng.NormFloat64())
			}
		case distT4:
			for c := range row {
				v := -2 * math.Log(rng.Float64()*rng.Float64())
				row[c] = float32(rng.NormFloat64() / math.Sqrt(v/4))
			}
		case distTrained:
			rs := float32(math.Exp(0.5 * rng.NormFloat64()))
			for c := range row {
				row[c] = rs * colScale[c] * float32(rng.NormFloat64())
			}
		}
	}
	return w
}

// llamaFigures are llama.cpp's relative RMS errors on the full layer
// (Q8_0, Q4_K, Q4_0 × Gaussian, Student-t(4), trained-like).
var llamaFigures = map[string][3]float64{
	"Q8_0": {0.00535, 0.00732, 0.00793},
	"Q4_K": {0.0713, 0.0867, 0.0812},
	"Q4_0": {0.0859, 0.1157, 0.1113},
}

type errAcc struct{ se, ss float64 }

func (a *errAcc) add(w, y []float32) {
	for i, v := range w {
		e := float64(y[i] - v)
		a.se += e * e
		a.ss += float64(v) * float64(v)
	}
}

func (a errAcc) rel() float64 { return math.Sqrt(a.se / a.ss) }

// TestAccuracyTable measures ‖Ŵ−W‖/‖W‖ over all attention and MLP matrices
// of one PG2-3B layer for the three distributions (seeded), beside the
// llama.cpp references run on the same data, and asserts Q8 ≤ Q8_0 and
// Q4 < Q4_K figures, and also against the references on the same data.
// By default it uses 1/32 of the rows of every matrix (2.4M weights per
// distribution, ~8 s), 1/128 with -short; PGEDGE_FULL_ACCURACY=1 runs the
// full layer (78M weights per distribution, ~4 minutes on one core).
func TestAccuracyTable(t *testing.T) {
	sub := 32
	if os.Getenv("PGEDGE_FULL_ACCURACY") == "1" {
		sub = 1
	} else if testing.Short() {
		sub = 128
	}
	type method struct {
		name string
		f    func(w []float32, rows, cols int) []float32
	}
	ref := func(f func(x, y []float32)) func([]float32, int, int) []float32 {
		return func(w []float32, rows, cols int) []float32 {
			y := make([]float32, len(w))
			for r := 0; r < rows; r++ {
				f(w[r*cols:(r+1)*cols], y[r*cols:(r+1)*cols])
			}
			return y
		}
	}
	ours := func(typ Type) func([]float32, int, int) []float32 {
		return func(w []float32, rows, cols int) []float32 {
			b, err := Quantize(typ, w, rows, cols, nil)
			if err != nil {
				t.Fatal(err)
			}
			y := make([]float32, len(w))
			if err := Dequantize(typ, b, rows, cols, y); err != nil {
				t.Fatal(err)
			}
			return y
		}
	}
	methods := []method{
		{"Q8_0", ref(refQ8_0)}, {"Q8", ours(Q8)},
		{"Q4_0", ref(refQ4_0)}, {"Q4_K", ref(refQ4_K)}, {"Q4", ours(Q4)},
	}
	var got [5][3]errAcc
	var dur [5]time.Duration
	var n int
	for d := range distNames {
		rng := rand.New(rand.NewPCG(uint64(d)+1, 42))
		for _, m := range pg2Layer {
			w := genMatrix(rng, d, m.rows, m.cols, sub)
			rows := len(w) / m.cols
			if d == 0 {
				n += len(w)
			}
			for k, me := range methods {
				t0 := time.Now()
				y := me.f(w, rows, m.cols)
				dur[k] += time.Since(t0)
				got[k][d].add(w, y)
			}
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "relative RMS error, PG2-3B layer, 1/%d of the rows (%d weights per distribution)\n", sub, n)
	fmt.Fprintf(&sb, "%-6s %5s  %-23s %-23s %-23s %s\n", "format", "bits", distNames[0], distNames[1], distNames[2], "ours vs llama.cpp figure | quantize+dequantize time (3 dists)")
	for k, me := range methods {
		typ := map[string]Type{"Q8": Q8, "Q4": Q4}
		bits := map[string]float64{"Q8_0": 8.5, "Q4_0": 4.5, "Q4_K": 4.5}[me.name]
		if tt, ok := typ[me.name]; ok {
			bits = BitsPerWeight(tt)
		}
		fmt.Fprintf(&sb, "%-6s %5.2f ", me.name, bits)
		for d := range distNames {
			fig := ""
			if f, ok := llamaFigures[me.name]; ok {
				fig = fmt.Sprintf("(table %.5f)", f[d])
			}
			fmt.Fprintf(&sb, " %.5f %-15s", got[k][d].rel(), fig)
		}
		fmt.Fprintf(&sb, " %v\n", dur[k].Round(time.Millisecond))
	}
	t.Log("\n" + sb.String())
	for d := range distNames {
		if q8, lim := got[1][d].rel(), llamaFigures["Q8_0"][d]; q8 > lim {
			t.Errorf("%s: Q8 error %.5f > Q8_0 figure %.5f", distNames[d], q8, lim)
		}
		if q8, lim := got[1][d].rel(), got[0][d].rel(); q8 > lim {
			t.Errorf("%s: Q8 error %.5f > Q8_0 reference on the same data %.5f", distNames[d], q8, lim)
		}
		if q4, lim := got[4][d].rel(), llamaFigures["Q4_K"][d]; q4 >= lim {
			t.Errorf("%s: Q4 error %.5f ≥ Q4_K figure %.5f", distNames[d], q4, lim)
		}
		if q4, lim := got[4][d].rel(), got[3][d].rel(); q4 >= lim {
			t.Errorf("%s: Q4 error %.5f ≥ Q4_K reference on the same data %.5f", distNames[d], q4, lim)
		}
	}
}
