//go:build !amd64 || purego

package quant

func q4FitLanes(xt, ht *[q4Sub][q4NSub]float32, tm, inv *[q4NSub]float32, k int, out *[3][q4NSub]float32) {
	q4FitLanesGo(xt, ht, tm, inv, k, out)
}

func q4AssignLanes(xt, ht *[q4Sub][q4NSub]float32, S, M, inv *[q4NSub]float32, k int, errs *[q4NSub]float32, ct *[q4Sub][q4NSub]int32) {
	q4AssignLanesGo(xt, ht, S, M, inv, k, errs, ct)
}

func q8Errs(x, h *[q8Block]float32, d, inv, errs *[8]float32) { q8ErrsGo(x, h, d, inv, errs) }
