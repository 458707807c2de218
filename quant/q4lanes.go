package quant

// The two inner loops of the Q4 search, run for the eight sub-blocks of a
// super-block side by side (lane j = sub-block j; xt[i][j] is weight i of
// sub-block j). Each lane does exactly the float32 operations, in the same
// order, of the one-sub-block loops they replace, so the encoder's output
// does not depend on which implementation runs: on amd64 with AVX2 the
// assembly in q4lanes_amd64.s, elsewhere the Go below. TestQ4LanesAsm checks
// them against each other.

// q4FitLanesGo accumulates, per lane, Σh·l, Σh·l² and Σh·l·x over the
// sub-block with l the level nearest to (x+tm)·inv (even and odd weights in
// separate sums, added at the end).
func q4FitLanesGo(xt, ht *[q4Sub][q4NSub]float32, tm, inv *[q4NSub]float32, k int, out *[3][q4NSub]float32) {
	l := &q4luts[k]
	for j := 0; j < q4NSub; j++ {
		var sl, sl2, sxl, sl1, sl21, sxl1 float32
		for i := 0; i+1 < q4Sub; i += 2 {
			v0, v1 := xt[i][j], xt[i+1][j]
			l0, l1 := l.L[l.nearest((v0+tm[j])*inv[j])], l.L[l.nearest((v1+tm[j])*inv[j])]
			h0, h1 := ht[i][j]*l0, ht[i+1][j]*l1
			sl += h0
			sl1 += h1
			sl2 += h0 * l0
			sl21 += h1 * l1
			sxl += h0 * v0
			sxl1 += h1 * v1
		}
		out[0][j], out[1][j], out[2][j] = sl+sl1, sl2+sl21, sxl+sxl1
	}
}

// q4AssignLanesGo codes each lane with x ≈ S·L[q] − M (q nearest to
// (x+M)·inv) and returns the weighted squared error per lane and the codes.
// Lanes with S = 0 get meaningless results; the caller handles them.
func q4AssignLanesGo(xt, ht *[q4Sub][q4NSub]float32, S, M, inv *[q4NSub]float32, k int, errs *[q4NSub]float32, ct *[q4Sub][q4NSub]int32) {
	l := &q4luts[k]
	for j := 0; j < q4NSub; j++ {
		s, m, iv := S[j], M[j], inv[j]
		var err, err1 float32
		for i := 0; i+1 < q4Sub; i += 2 {
			v0, v1 := xt[i][j], xt[i+1][j]
			c0, c1 := l.nearest((v0+m)*iv), l.nearest((v1+m)*iv)
			ct[i][j], ct[i+1][j] = int32(c0), int32(c1)
			r0, r1 := s*l.L[c0]-m-v0, s*l.L[c1]-m-v1
			err += ht[i][j] * r0 * r0
			err1 += ht[i+1][j] * r1 * r1
		}
		errs[j] = err + err1
	}
}
