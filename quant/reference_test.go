package quant

// Test-only ports of llama.cpp's reference quantizers (quantize_row_q8_0_ref,
// quantize_row_q4_0_ref, quantize_row_q4_K_ref with make_qkx2_quants), as
// quantize-then-dequantize functions. They reproduce the figures of the
// accuracy table in the package comment on the same generated data, which
// shows the generator matches the one those figures came from.

import (
	"math"

	"github.com/x448/float16"
)

func refF16(x float32) float32 { return float16.Fromfloat32(x).Float32() }
func refNearest(x float32) int { return int(math.RoundToEven(float64(x))) }

func refQ8_0(x, y []float32) {
	for b := 0; b < len(x); b += 32 {
		var amax float32
		for _, v := range x[b : b+32] {
			amax = max(amax, abs32(v))
		}
		d := amax / 127
		var id float32
		if d != 0 {
			id = 1 / d
		}
		dd := refF16(d)
		for i := b; i < b+32; i++ {
			y[i] = dd * float32(math.Round(float64(x[i]*id)))
		}
	}
}

func refQ4_0(x, y []float32) {
	for b := 0; b < len(x); b += 32 {
		var amax, mx float32
		for _, v := range x[b : b+32] {
			if a := abs32(v); a > amax {
				amax, mx = a, v
			}
		}
		d := mx / -8
		var id float32
		if d != 0 {
			id = 1 / d
		}
		dd := refF16(d)
		for i := b; i < b+32; i++ {
			q := min(15, int(int8(x[i]*id+8.5)))
			y[i] = dd * float32(q-8)
		}
	}
}

func refMakeQKX2(x, weights []float32, L, Laux []uint8, nmax int, rmin, rdelta float32, nstep int) (float32, float32) {
	n := len(x)
	mn, mx := x[0], x[0]
	sumW := weights[0]
	sumX := sumW * x[0]
	for i := 1; i < n; i++ {
		mn = min(mn, x[i])
		mx = max(mx, x[i])
		sumW += weights[i]
		sumX += weights[i] * x[i]
	}
	if mn > 0 {
		mn = 0
	}
	if mx == mn {
		clear(L)
		return 0, -mn
	}
	iscale := float32(nmax) / (mx - mn)
	scale := 1 / iscale
	var bestMad float32
	for i := 0; i < n; i++ {
		L[i] = uint8(max(0, min(nmax, refNearest(iscale*(x[i]-mn)))))
		diff := scale*float32(L[i]) + mn - x[i]
		bestMad += weights[i] * diff * diff
	}
	for is := 0; is <= nstep; is++ {
		iscale = (rmin + rdelta*float32(is) + float32(nmax)) / (mx - mn)
		var sumL, sumL2, sumXL float32
		for i := 0; i < n; i++ {
			l := max(0, min(nmax, refNearest(iscale*(x[i]-mn))))
			Laux[i] = uint8(l)
			w := weights[i]
			sumL += w * float32(l)
			sumL2 += w * float32(l*l)
			sumXL += w * float32(l) * x[i]
		}
		D := sumW*sumL2 - sumL*sumL
		if D > 0 {
			thisScale := (sumW*sumXL - sumX*sumL) / D
			thisMin := (sumL2*sumX - sumL*sumXL) / D
			if thisMin > 0 {
				thisMin = 0
				thisScale = sumXL / sumL2
			}
			var mad float32
			for i := 0; i < n; i++ {
				diff := thisScale*float32(Laux[i]) + thisMin - x[i]
				mad += weights[i] * diff * diff
			}
			if mad < bestMad {
				copy(L, Laux)
				bestMad = mad
				scale = thisScale
				mn = thisMin
			}
		}
	}
	return scale, -mn
}

func refQ4_K(x, y []float32) {
	var L, Laux [32]uint8
	var weights [32]float32
	for b := 0; b < len(x); b += 256 {
		var scales, mins [8]float32
		var maxScale, maxMin float32
		for j := 0; j < 8; j++ {
			xs := x[b+32*j : b+32*j+32]
			var sumX2 float32
			for _, v := range xs {
				sumX2 += v * v
			}
			av := float32(math.Sqrt(float64(sumX2 / 32)))
			for l, v := range xs {
				weights[l] = av + abs32(v)
			}
			scales[j], mins[j] = refMakeQKX2(xs, weights[:], L[:], Laux[:], 15, -1, 0.1, 20)
			maxScale = max(maxScale, scales[j])
			maxMin = max(maxMin, mins[j])
		}
		var invScale, invMin float32
		if maxScale > 0 {
			invScale = 63 / maxScale
		}
		if maxMin > 0 {
			invMin = 63 / maxMin
		}
		d := refF16(maxScale / 63)
		dmin := refF16(maxMin / 63)
		for j := 0; j < 8; j++ {
			ls := min(63, refNearest(invScale*scales[j]))
			lm := min(63, refNearest(invMin*mins[j]))
			dd := d * float32(ls)
			dm := dmin * float32(lm)
			for i := b + 32*j; i < b+32*j+32; i++ {
				if dd == 0 {
					y[i] = -dm
					continue
				}
				l := max(0, min(15, refNearest((x[i]+dm)/dd)))
				y[i] = dd*float32(l) - dm
			}
		}
	}
}
