package quant

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestTmpQ4Tune(t *testing.T) {
	type cfg struct{ steps, lloyd, tries, rad, refit int }
	cfgs := []cfg{{12, 1, 2, 1, 2}, {6, 1, 2, 1, 2}, {6, 0, 2, 1, 2}, {4, 1, 2, 1, 1}, {12, 1, 1, 1, 2}, {6, 1, 4, 1, 2}, {12, 1, 2, 0, 2}, {20, 2, 4, 1, 3}}
	var data [3][][]float32
	for d := 0; d < 3; d++ {
		rng := rand.New(rand.NewPCG(uint64(d)+1, 42))
		for _, m := range pg2Layer {
			data[d] = append(data[d], genMatrix(rng, d, m.rows, m.cols, 128))
		}
	}
	for _, c := range cfgs {
		q4Steps, q4Lloyd, q4Tries, q4Rad, q4Refit = c.steps, c.lloyd, c.tries, c.rad, c.refit
		t0 := time.Now()
		var res [3]float64
		for d := 0; d < 3; d++ {
			var a errAcc
			for i, m := range pg2Layer {
				w := data[d][i]
				rows := len(w) / m.cols
				b, _ := Quantize(Q4, w, rows, m.cols, nil)
				y := make([]float32, len(w))
				Dequantize(Q4, b, rows, m.cols, y)
				a.add(w, y)
			}
			res[d] = a.rel()
		}
		t.Logf("%+v: %.5f %.5f %.5f  %v", c, res[0], res[1], res[2], time.Since(t0).Round(time.Millisecond))
	}
}
