package quant

// ActBlock is the block length of quantized activations: one float32 scale
// and one int32 sum per 32 int8 values. It equals the Q8 block and the Q4
// sub-block, so every weight scale and min meets exactly one activation
// scale and one activation sum.
const ActBlock = 32

// ActMinMax is the smallest block maximum that QuantizeActivations scales; smaller
// blocks quantize to zero (float32 bits 0x03800000).
const ActMinMax = 0x1p-120

// QuantizeActivations quantizes x (len(x) a multiple of ActBlock) per block
// of 32 to int8 with scale = maxabs/127:
//
//	scales[b] = maxabs_b / 127
//	q[i]      = RNE(x[i] · (127/maxabs_b))   computed in float32, in [-127, 127]
//	sums[b]   = Σ q[i] over block b
//
// A block whose largest magnitude is below ActMinMax (2⁻¹²⁰ ≈ 7.5e-37, all-zero
// blocks included) gets scale 0 and zero codes: 127/amax would overflow to +Inf
// below 3.7e-37 and turn zeros into NaN codes. -128 is never produced, so
// q·q products and the sign trick of AVX2 cannot overflow. sums lets the
// Q8/Q4 kernels apply the weight offsets (128 for Q8, the mins for Q4) once
// per block. q needs len(x) entries, scales and sums len(x)/32.
func QuantizeActivations(x []float32, q []int8, scales []float32, sums []int32) {
	nb := len(x) / ActBlock
	if nb*ActBlock != len(x) {
		panic("quant: QuantizeActivations: length not a multiple of 32")
	}
	if nb == 0 {
		return
	}
	_, _, _ = q[len(x)-1], scales[nb-1], sums[nb-1]
	for b := 0; b < nb; b++ {
		xs := x[b*ActBlock : (b+1)*ActBlock]
		qs := q[b*ActBlock : (b+1)*ActBlock]
		var amax float32
		for _, v := range xs {
			amax = max(amax, abs32(v))
		}
		if amax < ActMinMax {
			for i := range qs {
				qs[i] = 0
			}
			scales[b], sums[b] = 0, 0
			continue
		}
		inv := 127 / amax
		var s int32
		for i, v := range xs {
			c := int32(rne(max(-127, min(127, float32(v*inv)))))
			qs[i] = int8(c)
			s += c
		}
		scales[b], sums[b] = amax/127, s
	}
}

// rne rounds t (|t| ≤ 2^22) to an integer, ties to even, by adding and
// subtracting 1.5·2^23 in float32: what VCVTPS2DQ and FCVTNS do, without
// math.RoundToEven's float64 detour (6× slower here). The conversions stop
// the compiler from fusing the operations.
func rne(t float32) float32 {
	const magic = 3 << 22
	return float32(float32(t+magic) - magic)
}
