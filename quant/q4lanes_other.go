//go:build !amd64 || purego

package quant

func q4FitLanes(xt, ht *[q4Sub][q4NSub]float32, tm, inv *[q4NSub]float32, k int, out *[3][q4NSub]float32) {
	q4FitLanesGo(xt, ht, tm, inv, k, out)
}

func q4AssignLanes(xt, ht *[q4Sub][q4NSub]float32, S, M, inv *[q4NSub]float32, k int, errs *[q4NSub]float32, ct *[q4Sub][q4NSub]int32) {
	q4AssignLanesGo(xt, ht, S, M, inv, k, errs, ct)
}

func q8Errs(x, h *[q8Block]float32, cand *[8]uint16, errs *[8]float32) { q8ErrsGo(x, h, cand, errs) }

func q8Codes(x []float32, d float32, dst []byte) { q8CodesGo(x, d, dst) }

func q8Max(x []float32) (amax, ext float32, ok bool) { return q8MaxGo(x) }
