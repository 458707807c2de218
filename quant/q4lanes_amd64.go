//go:build !purego

package quant

import (
	"math"

	"golang.org/x/sys/cpu"
)

// useAVX2 selects the assembly search loops. PGEDGE_SIMD=generic is not
// consulted: the assembly and the Go loops give identical results.
var useAVX2 = cpu.X86.HasAVX2

// q4vtab is a level table laid out for the assembly nearest-level search
// (a branch-free binary search over the 15 thresholds with VPERMPS):
// level 1 compares thr[7]; level 2 thr[3] or thr[11]; levels 3 and 4 look
// thr up by the count so far (low 3 bits) in a low or high half.
type q4vtab struct {
	t8, t4lo, t4hi, lo3, hi3, lo4, hi4, llo, lhi, l1, t0 [8]float32
}

var q4vtabs = func() (vs [4]q4vtab) {
	inf := float32(math.Inf(1))
	for k := range vs {
		l, v := &q4luts[k], &vs[k]
		thr := func(i int) float32 {
			if i > 14 {
				return inf
			}
			return l.thr[i]
		}
		for i := 0; i < 8; i++ {
			v.t8[i], v.t4lo[i], v.t4hi[i] = thr(7), thr(3), thr(11)
			v.lo3[i], v.hi3[i] = thr(i+1), thr(i+9)
			v.lo4[i], v.hi4[i] = thr(i), thr(i+8)
			v.llo[i], v.lhi[i] = l.L[i], l.L[i+8]
			v.l1[i], v.t0[i] = l.L[1], thr(0)
		}
	}
	return
}()

//go:noescape
func q4FitAVX2(xt, ht *[q4Sub][q4NSub]float32, tm, inv *[q4NSub]float32, tab *q4vtab, out *[3][q4NSub]float32)

//go:noescape
func q4AssignAVX2(xt, ht *[q4Sub][q4NSub]float32, S, M, inv *[q4NSub]float32, tab *q4vtab, errs *[q4NSub]float32, ct *[q4Sub][q4NSub]int32)

//go:noescape
func q8ErrsAVX2(x, h *[q8Block]float32, cand *[8]uint16, errs *[8]float32)

//go:noescape
func q8CodesAVX2(x *[q8Block]float32, inv float32, dst *[q8Block]byte)

//go:noescape
func q8MaxAVX2(x *[q8Block]float32) (amax float32, bad bool)

// q8Max returns the largest |x[i]| and the first x[i] of that magnitude, or
// ok = false if some weight is not finite.
func q8Max(x []float32) (amax, ext float32, ok bool) {
	if !useAVX2 {
		return q8MaxGo(x)
	}
	amax, bad := q8MaxAVX2((*[q8Block]float32)(x))
	if bad {
		return 0, 0, false
	}
	for _, v := range x {
		if abs32(v) == amax {
			return amax, v, true
		}
	}
	return amax, 0, true
}

// useF16C selects q8ErrsAVX2, which widens the fp16 candidates with VCVTPH2PS.
var useF16C = useAVX2 && cpu.X86.HasF16C

func q4FitLanes(xt, ht *[q4Sub][q4NSub]float32, tm, inv *[q4NSub]float32, k int, out *[3][q4NSub]float32) {
	if useAVX2 {
		q4FitAVX2(xt, ht, tm, inv, &q4vtabs[k], out)
		return
	}
	q4FitLanesGo(xt, ht, tm, inv, k, out)
}

func q4AssignLanes(xt, ht *[q4Sub][q4NSub]float32, S, M, inv *[q4NSub]float32, k int, errs *[q4NSub]float32, ct *[q4Sub][q4NSub]int32) {
	if useAVX2 {
		q4AssignAVX2(xt, ht, S, M, inv, &q4vtabs[k], errs, ct)
		return
	}
	q4AssignLanesGo(xt, ht, S, M, inv, k, errs, ct)
}

func q8Errs(x, h *[q8Block]float32, cand *[8]uint16, errs *[8]float32) {
	if useF16C {
		q8ErrsAVX2(x, h, cand, errs)
		return
	}
	q8ErrsGo(x, h, cand, errs)
}

func q8Codes(x []float32, d float32, dst []byte) {
	if useAVX2 && d != 0 { // d = 0 (an all-zero block): the Go loop's NaN codes
		q8CodesAVX2((*[q8Block]float32)(x), 1/d, (*[q8Block]byte)(dst))
		return
	}
	q8CodesGo(x, d, dst)
}
