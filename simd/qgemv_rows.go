package simd

// The few-row GEMV of a batched decode step (GemmQ8Batch, GemmQ4Batch):
// B sequences each append one token, so every linear layer multiplies its
// weights with B independent rows of activations. The one-row GEMV of
// GemmQ8/GemmQ4 redoes all of a weight block's work for every token (code
// loads, Q4 nibble decode, the add tree that reduces VPDPBUSD's int32 lanes
// to block sums, the −128·Σa correction, the fp16 scale gather, the FMA):
// ~30 ms per extra token on the PaliGemma 2 3B INT8 decoder (2 threads,
// Zen 5), about half of a one-token step. The few-row kernels read each
// weight row once for R ≤ 4 tokens (more tokens go in groups of 4 over the
// same ~40 KB, L1-resident, chunk of rows, so memory is still read once),
// do the weight side once per 64 weights and, per token, only
//
//	acc = C_t (Q8: the lane correction −128·(a₀+a₁+a₂+a₃) of each of the 16
//	      int32 lanes, precomputed per token; Q4: zero, levels are unsigned)
//	acc += VPDPBUSD(codes, a_t)          (the lane's 4 products, exact)
//	F_t += float(acc) · (D · S_t)        (D: the two blocks' weight scales
//	      spread to their 8 lanes; S_t: the token's block scales, spread)
//
// 5 instructions per token and 64 weights instead of ~11, and no
// horizontal work until the row's end: the 16 lanes of F_t are folded to
// 8, the remaining nb%8 blocks (Q8) added lane-wise on ymm, the Q4 mins
// term (an 8-lane −M_j·(s·sum)_j accumulator per token) added, and the 8
// lanes summed as ((y0+y4)+(y2+y6)) + ((y1+y5)+(y3+y7)).
//
// Accuracy. The lane sums L (4 products, Q8 with their correction) are exact
// integers below 2¹⁸, so exact in float32; each lane term is L·(d·s) with
// d·s rounded once and the product fused into the lane's running sum. A
// lane accumulates nb/2 (Q8: plus up to 7 tail) terms and the final
// reduction adds 4 levels, so against the exact sum the error is at most
// (k/64 + 12)·2⁻²⁴·Σ|terms|; package quant's DotQ8/DotQ4 is within
// (k/32 + 1)·2⁻²⁴ of the same sum of block terms (whose Σ|T_b| is at most
// the Σ over lanes). Hence
//
//	|GemmQ8Batch − quant.DotQ8| ≤ (k/32 + 8)·2⁻²³·Σ_lanes |d_b·s_b·L|
//	|GemmQ4Batch − quant.DotQ4| ≤ (k/32 + 8)·2⁻²³·(Σ_lanes |S_j·s_b·L| + Σ_b |M_j·s_b·sum_b|)
//
// (plus a few subnormal units), against GemmQ8's (k/32 + 4)·2⁻²³·Σ_b|T_b|:
// about the same for the rows of a real model, where the lane sums of a
// block mostly share its sign. The tests check both the assembly and the
// Go twins (rowsQ8Go, rowsQ4Go, which follow the kernels' order and
// fusion) with that bound. Batch.Exact in package infer keeps the one-row
// kernels, bit-identical to decoding alone.

import "math"

// GemmQ8Batch is GemmQ8 for the nx tokens of a batched decode step: same
// arguments and checks; for 2 ≤ nx ≤ the level's rowsMax it runs the
// few-row kernel (one pass over the rows for all tokens, lane-wise float
// accumulation, accuracy stated above), otherwise GemmQ8 itself.
func GemmQ8Batch(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
	l := &qLevels[qSel[qkRows8]]
	if nx < 2 || nx > l.rowsMax || l.rows8 == nil {
		GemmQ8(out, ldo, q, scales, sums, nx, w, nw, k)
		return
	}
	if !checkQGemm("GemmQ8Batch", 32, 34, out, ldo, q, scales, sums, nx, w, nw, k) {
		return
	}
	l.rows8(out, ldo, q, scales, sums, nx, w, nw, k)
}

// GemmQ4Batch is GemmQ8Batch for Q4 rows (GemmQ4).
func GemmQ4Batch(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
	l := &qLevels[qSel[qkRows4]]
	if nx < 2 || nx > l.rowsMax || l.rows4 == nil {
		GemmQ4(out, ldo, q, scales, sums, nx, w, nw, k)
		return
	}
	if !checkQGemm("GemmQ4Batch", 256, 144, out, ldo, q, scales, sums, nx, w, nw, k) {
		return
	}
	l.rows4(out, ldo, q, scales, sums, nx, w, nw, k)
}

// fma32 is a float32 fused multiply-add (through float64: the exact
// product of two float32 fits, so only the double rounding of the sum can
// differ from a float32 FMA, in rare ties).
func fma32(a, b, c float32) float32 {
	return float32(math.FMA(float64(a), float64(b), float64(c)))
}

// hsum8 adds 8 lanes in the kernels' order.
func hsum8(y *[8]float32) float32 {
	a0, a1, a2, a3 := y[0]+y[4], y[1]+y[5], y[2]+y[6], y[3]+y[7]
	return (a0 + a2) + (a1 + a3)
}

// q8Lane returns lane l of block blk with token activations a: the 4
// products of codes and activations, −128·Σa.
func q8Lane(blk []byte, a []int8, l int) int32 {
	var s int32
	for i := 4 * l; i < 4*l+4; i++ {
		s += (int32(blk[2+i]) - 128) * int32(a[i])
	}
	return s
}

// rowsQ8Go is the Go twin of the few-row Q8 kernels: their lanes, order and
// fusion, one token at a time.
func rowsQ8Go(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
	nb := k / 32
	rb := nb * 34
	for r := 0; r < nw; r++ {
		row := w[r*rb : (r+1)*rb]
		for i := 0; i < nx; i++ {
			qi, si := q[i*k:(i+1)*k], scales[i*nb:(i+1)*nb]
			var f [16]float32
			b := 0
			for ; b+8 <= nb; b += 8 {
				for j := b; j < b+8; j++ {
					h := (j - b) & 1
					blk := row[j*34 : j*34+34]
					ds := f16(uint16(blk[0])|uint16(blk[1])<<8) * si[j]
					for l := 0; l < 8; l++ {
						f[8*h+l] = fma32(float32(q8Lane(blk, qi[j*32:], l)), ds, f[8*h+l])
					}
				}
			}
			var y [8]float32
			for l := range y {
				y[l] = f[l] + f[l+8]
			}
			for ; b < nb; b++ {
				blk := row[b*34 : b*34+34]
				ds := f16(uint16(blk[0])|uint16(blk[1])<<8) * si[b]
				for l := 0; l < 8; l++ {
					y[l] = fma32(float32(q8Lane(blk, qi[b*32:], l)), ds, y[l])
				}
			}
			out[i*ldo+r] = hsum8(&y)
		}
	}
}

// rowsQ4Go is the Go twin of the few-row Q4 kernels.
func rowsQ4Go(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
	nsb, nb := k/256, k/32
	rb := nsb * 144
	var h q4Head
	for r := 0; r < nw; r++ {
		row := w[r*rb : (r+1)*rb]
		for i := 0; i < nx; i++ {
			qi, si, mi := q[i*k:(i+1)*k], scales[i*nb:(i+1)*nb], sums[i*nb:(i+1)*nb]
			var f [16]float32
			var fm [8]float32
			for sb := 0; sb < nsb; sb++ {
				blk := row[sb*144 : sb*144+144]
				decodeQ4Head(blk, &h)
				for j := 0; j < 8; j++ {
					b := sb*8 + j
					fm[j] = fma32(-h.M[j], si[b]*float32(mi[b]), fm[j])
				}
				for j := 0; j < 8; j++ {
					b := sb*8 + j
					pair, shift := blk[16+(j/2)*32:16+(j/2)*32+32], 4*(j&1)
					a := qi[b*32 : b*32+32]
					ss := h.S[j] * si[b]
					for l := 0; l < 8; l++ {
						var s int32
						for x := 4 * l; x < 4*l+4; x++ {
							s += int32(h.lv[pair[x]>>shift&15]) * int32(a[x])
						}
						f[8*(j&1)+l] = fma32(float32(s), ss, f[8*(j&1)+l])
					}
				}
			}
			var y [8]float32
			for l := range y {
				y[l] = (f[l] + f[l+8]) + fm[l]
			}
			out[i*ldo+r] = hsum8(&y)
		}
	}
}

// qRowsMaxGeneric: the generic level's Go twins serve batches of up to 16
// tokens (they read each row once per token, as gemmQ8Generic does).
const qRowsMaxGeneric = 16
