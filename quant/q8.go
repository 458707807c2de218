package quant

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/x448/float16"
)

const (
	q8Block = 32
	q8Bytes = 2 + q8Block
)

// Q8MaxAbs is the largest weight magnitude Q8 can encode: its scale is an
// fp16 (max 65504) and the largest code magnitude is 128.
const Q8MaxAbs = 65504 * 128

// ones stands in for a nil importance vector.
var ones = func() (o [q4Block]float32) {
	for i := range o {
		o[i] = 1
	}
	return
}()

// q8Search is the number of fp16 neighbours (each side) of the sign-folded
// scale that the Q8 search tries. Measured on the PG2-3B layer: the
// sign-folded scale alone gains 0.8% RMS over Q8_0, the neighbours add
// ~0.1% more (rounding error is uniform, so clipping the extreme rarely
// pays with 256 levels).
var q8Search = 2 // at most 3: the candidates share one 8-lane pass

func quantizeQ8Row(dst []byte, w, h []float32) error {
	for b := 0; b < len(w)/q8Block; b++ {
		x := w[b*q8Block : (b+1)*q8Block]
		hb := ones[:q8Block]
		if h != nil {
			hb = h[b*q8Block : (b+1)*q8Block]
		}
		blk := dst[b*q8Bytes : (b+1)*q8Bytes]
		amax, ext, ok := q8Max(x)
		if !ok {
			for i, v := range x {
				if !finite(v) {
					return nonFinite(b*q8Block+i, v)
				}
			}
		}
		if amax > Q8MaxAbs {
			return fmt.Errorf("%w: |weight| %g in block %d exceeds Q8MaxAbs %d", ErrValue, amax, b, Q8MaxAbs)
		}
		bits := q8BestScale(x, hb, amax, ext)
		binary.LittleEndian.PutUint16(blk, bits)
		d := float16.Frombits(bits).Float32()
		q8Codes(x, d, blk[2:])
	}
	return nil
}

// q8MaxGo returns the largest |x[i]| and the first x[i] of that magnitude,
// or ok = false if some weight is not finite.
func q8MaxGo(x []float32) (amax, ext float32, ok bool) {
	for _, v := range x {
		if !finite(v) {
			return 0, 0, false
		}
		if a := abs32(v); a > amax {
			amax, ext = a, v
		}
	}
	return amax, ext, true
}

// q8BestScale returns the fp16 bits of the scale with the least weighted
// squared error among: the max-abs scale amax/127 (Q8_0's), the
// sign-folded scale −ext/128 that maps the extreme weight to code −128,
// and q8Search fp16 neighbours each side of the latter. Ties keep the
// earlier candidate, so the result is never worse than max-abs.
func q8BestScale(x, h []float32, amax, ext float32) uint16 {
	if amax == 0 {
		return 0
	}
	// Gather the candidates in the order the scalar search tried them and
	// measure them all at once (one per lane); the first least error wins.
	var cand [8]uint16
	var errs [8]float32
	cand[0] = f16Mag(amax / 127)
	n := 1
	fold := f16Mag(ext / -128)
	for k := -q8Search; k <= q8Search && n < len(cand); k++ {
		c := f16Step(fold, k)
		if c == cand[0] || c&0x7fff == 0 || c&0x7c00 == 0x7c00 {
			continue
		}
		cand[n] = c
		n++
	}
	for i := n; i < len(cand); i++ {
		cand[i] = cand[n-1]
	}
	q8Errs((*[q8Block]float32)(x), (*[q8Block]float32)(h), &cand, &errs)
	best, bestErr := cand[0], errs[0]
	for i := 1; i < n; i++ {
		if errs[i] < bestErr {
			best, bestErr = cand[i], errs[i]
		}
	}
	return best
}

// q8ErrsGo measures q8Err for 8 candidate fp16 scales at once.
func q8ErrsGo(x, h *[q8Block]float32, cand *[8]uint16, errs *[8]float32) {
	for i, c := range cand {
		d := float16.Frombits(c).Float32()
		inv := 1 / d
		var e float32
		for k, v := range x {
			r := d*float32(q8Code(v, inv)) - v
			e += h[k] * r * r
		}
		errs[i] = e
	}
}

// f16Mag rounds v to fp16 bits, replacing an underflow to ±0 by the
// smallest subnormal of the same sign (a block of tiny weights then keeps
// some resolution instead of decoding as all zeros).
func f16Mag(v float32) uint16 {
	b := uint16(float16.Fromfloat32(v))
	if b&0x7fff == 0 {
		b |= 1
	}
	return b
}

// f16Step moves the magnitude of fp16 bits b by k units in the last place,
// keeping the sign (fp16 magnitudes are monotonic in their bit patterns).
func f16Step(b uint16, k int) uint16 {
	m := int(b&0x7fff) + k
	if m < 1 {
		m = 1
	}
	if m > 0x7bff {
		m = 0x7bff
	}
	return b&0x8000 | uint16(m)
}

func q8Code(v, inv float32) int32 {
	// Comparisons rather than min/max: Go's float min/max handle NaN and
	// signed zeros with extra branches, and v·inv is never NaN here (the
	// result is the same for every other value).
	t := float32(v * inv)
	if t > 127 {
		t = 127
	}
	if t < -128 {
		t = -128
	}
	return int32(rne(t))
}

func q8CodesGo(x []float32, d float32, dst []byte) {
	inv := 1 / d
	for i, v := range x {
		dst[i] = byte(q8Code(v, inv) + 128)
	}
}

func dequantizeQ8Row(row []byte, out []float32) {
	for b := 0; b < len(out)/q8Block; b++ {
		blk := row[b*q8Bytes : (b+1)*q8Bytes]
		d := float16.Frombits(binary.LittleEndian.Uint16(blk)).Float32()
		o := out[b*q8Block : (b+1)*q8Block]
		for i := range o {
			o[i] = d * float32(int32(blk[2+i])-128)
		}
	}
}

// DotQ8 returns the dot product of one Q8 row of cols weights with
// activations quantized by QuantizeActivations:
//
//	Σ_b d_b · scales[b] · (Σ_i c_i·q_i − 128·sums[b])
//
// with the integer part exact in int32 (|Σ| ≤ 32·255·127) and the block
// terms accumulated in float32 in block order. This is the reference the
// assembly kernels are checked against; it is not fast.
func DotQ8(row []byte, q []int8, scales []float32, sums []int32, cols int) float32 {
	nb := cols / q8Block
	if nb == 0 {
		return 0
	}
	_ = row[nb*q8Bytes-1]
	_ = q[cols-1]
	_, _ = scales[nb-1], sums[nb-1]
	var acc float32
	for b := 0; b < nb; b++ {
		blk := row[b*q8Bytes : (b+1)*q8Bytes]
		a := q[b*q8Block : (b+1)*q8Block]
		var s int32
		for i, c := range blk[2:] {
			s += int32(c) * int32(a[i])
		}
		s -= 128 * sums[b]
		d := float16.Frombits(binary.LittleEndian.Uint16(blk)).Float32()
		acc += d * scales[b] * float32(s)
	}
	return acc
}

func abs32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }
