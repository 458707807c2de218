package simd

// The few-row GEMV of a batched decode step (QBatch, GemmQ8Batch,
// GemmQ4Batch): B sequences each append one token, so every linear layer
// multiplies its weights with B independent rows of activations. The
// one-row GEMV of GemmQ8/GemmQ4 redoes all of a weight block's work for
// every token (code loads, Q4 nibble decode, the add tree that reduces
// VPDPBUSD's int32 lanes to block sums, the −128·Σa correction, the fp16
// scale gather, the FMA): ~0.1 ms per extra token on a 9216×2304 matrix
// (2 threads, Zen 5; ~30 ms per token on the PaliGemma 2 3B INT8 decoder),
// and the GEMM repacks every weight panel per call. The few-row kernels read
// each weight row once for a group of G = 4 tokens (or 2: B = 5 runs 4 + 2
// with one padded, B = 3 one padded group of 4; groups follow each other
// over the same ~40 KB chunk of rows, so memory is still read once). Per
// step of 64 weights (two 32-value blocks, one zmm) the weight side is done
// once: code loads, Q4 nibble decode, the two blocks' scales spread to their
// 8 lanes each. Then
//
//	acc_t = VPDPBUSD(0, codes, a_t)       for each token t: 16 int32 lanes
//	                                      of 4 products, exact
//	v = unpack/add tree of acc_0..acc_3   lane 4q+t: token t's sum over
//	                                      the 16 weights of quarter q
//	v += C                                (Q8: −128·Σa of those 16 values)
//	F += float(v) · (D · S)               D: the blocks' weight scales, S:
//	                                      token t's block scale, per lane
//
// so a group of 4 costs 4 VPDPBUSD, 9 tree instructions and 4 for the
// float side per 64 weights (G = 2: 2, 3 and 4), against 4 × ~11 for the
// one-row GEMV. The AVX-VNNI (ymm) kernels run the same per 32-value block
// (a "half-width" step) in the same lane order; AVX2 and arm64 have none
// (GemmQ8Batch is GemmQ8 there). The group's activations, corrections C and lane scales S
// come as one stream, laid out once per layer by QBatch.Prepare (the
// GEMV's per-token work moved out of the per-row loop). At a row's end F
// (two accumulators, even and odd steps) is folded to one sum per token;
// Q8's last nb%8 blocks run as single steps, an odd last block at half
// width; Q4 adds per token an 8-lane accumulator of −M_j·(s·sum)_j.
//
// Accuracy. The merged lanes v (with Q8's correction) are exact integers
// below 2²⁴, so exact in float32; each lane term is v·(d·s) with d·s
// rounded once and the product fused into the lane's running sum. A lane
// accumulates about nb/4 terms per accumulator and the fold adds 4 levels,
// so against the exact sum the error is at most (k/64 + 12)·2⁻²⁴·Σ|terms|;
// package quant's DotQ8/DotQ4 is within (k/32 + 1)·2⁻²⁴ of the same sum
// of block terms. With L the int32 lanes of VPDPBUSD (4 products each),
// whose |·| sums bound every merged lane's,
//
//	|GemmQ8Batch − quant.DotQ8| ≤ (k/32 + 8)·2⁻²³·Σ_lanes |d_b·s_b·L|
//	|GemmQ4Batch − quant.DotQ4| ≤ (k/32 + 8)·2⁻²³·(Σ_lanes |S_j·s_b·L| + Σ_b |M_j·s_b·sum_b|)
//
// (plus a few subnormal units), against GemmQ8's (k/32 + 4)·2⁻²³·Σ_b|T_b|:
// about the same for the rows of a real model, where the lanes of a block
// mostly share its sign. The tests check both the assembly and the Go twins
// (rowsQ8Go, rowsQ4Go, which follow the kernels' groups, order and fusion:
// the assembly matches them bit for bit) with that bound. Batch.Exact in
// package infer keeps the one-row kernels, bit-identical to decoding alone.

import (
	"encoding/binary"
	"fmt"
	"math"
	"unsafe"

	"github.com/pgedge/pgedge/quant"
)

// QBatch is a batched decode step's activations for one weight type: nx
// tokens of k values quantized by QuantizeActs, and, for the assembly
// few-row kernels, their stream layout (see qStreamBytes). Prepare it once
// per linear layer, then run GemmQ8Batch or GemmQ4Batch on every tile of
// rows; q, scales and sums are referenced, not copied, and must not change
// in between. A QBatch's buffers are reused by the next Prepare.
type QBatch struct {
	typ    quant.Type
	nx, k  int
	q      []int8
	scales []float32
	sums   []int32
	groups []qGroup
	buf    []byte
	stream []byte // buf from its first 64-byte aligned byte
	width  int    // of the stream's steps: 64 (zmm kernels) or 32 (ymm)
}

// qGroup is one group of a QBatch: tokens t0 … t0+n−1 of G (2 or 4; the
// others padded with zero activations), its stream at stream[off:].
type qGroup struct {
	t0, n, G, off int
}

// qGroupsOf splits nx tokens into groups: of 4 while at least 3 remain,
// then one of 2 (1 → one padded group of 2, 3 → a padded group of 4).
func qGroupsOf(nx int, f func(t0, n, G int)) {
	for t0 := 0; t0 < nx; {
		rem := nx - t0
		switch {
		case rem >= 3:
			f(t0, min(4, rem), 4)
			t0 += min(4, rem)
		default:
			f(t0, rem, 2)
			t0 += rem
		}
	}
}

// qStreamBytes is the size of one group's stream: per 64 activations
// G·64 bytes and 64 of lane scales, Q8 also 64 of lane corrections (an odd
// last block the same at half width; for the ymm kernels every block at
// half width, the same size); Q4 also G·32 bytes of scale·sum products per
// super-block.
func qStreamBytes(typ quant.Type, G, k int) int {
	if typ == quant.Q4 {
		return k / 256 * (4*(64*G+64) + 32*G)
	}
	nb := k / 32
	return nb/2*(64*G+128) + nb%2*(32*G+64)
}

// Prepare sets b to nx tokens of k values (q, scales, sums as GemmQ8
// takes them) for rows of type typ (quant.Q8 or quant.Q4), and lays out
// the groups' streams if the few-row kernel in use reads them.
func (b *QBatch) Prepare(typ quant.Type, q []int8, scales []float32, sums []int32, nx, k int) {
	l := &qLevels[qSel[qkRows8]]
	if typ == quant.Q4 {
		l = &qLevels[qSel[qkRows4]]
	}
	width := l.rowsStream
	if nx < 2 || nx > l.rowsMax || typ == quant.Q8 && l.rows8 == nil || typ == quant.Q4 && (l.rows4 == nil || nx < l.rows4Min) {
		width = 0
	}
	b.prepare(typ, q, scales, sums, nx, k, width)
}

// prepare is Prepare; width is the step width of the streams that the
// selected level's kernel reads (0: none).
func (b *QBatch) prepare(typ quant.Type, q []int8, scales []float32, sums []int32, nx, k int, width int) {
	blk := 32
	if typ == quant.Q4 {
		blk = 256
	} else if typ != quant.Q8 {
		panic(fmt.Sprintf("simd: QBatch.Prepare: type %v is not Q8 or Q4", typ))
	}
	if nx < 0 || k < 0 || k%blk != 0 {
		panic(fmt.Sprintf("simd: QBatch.Prepare: nx = %d, k = %d (a multiple of %d)", nx, k, blk))
	}
	if !qfits(nx, k, len(q)) || !qfits(nx, k/32, len(scales)) || !qfits(nx, k/32, len(sums)) {
		panic(fmt.Sprintf("simd: QBatch.Prepare: %d tokens of %d values need len(q) ≥ %d and len(scales), len(sums) ≥ %d; have %d, %d, %d",
			nx, k, nx*k, nx*k/32, len(q), len(scales), len(sums)))
	}
	*b = QBatch{typ: typ, nx: nx, k: k, q: q, scales: scales, sums: sums, groups: b.groups[:0], buf: b.buf, width: width}
	size := 0
	qGroupsOf(nx, func(t0, n, G int) {
		b.groups = append(b.groups, qGroup{t0: t0, n: n, G: G, off: size})
		size += qStreamBytes(typ, G, k)
	})
	if k == 0 || nx == 0 || width == 0 {
		return
	}
	if len(b.buf) < size+64 {
		b.buf = make([]byte, size+64)
	}
	b.stream = b.buf[(64-uintptr(unsafe.Pointer(&b.buf[0]))&63)&63:] // 64-byte aligned
	for _, g := range b.groups {
		b.layout(g)
	}
}

func (b *QBatch) rowsLevel() *qLevelImpl {
	if b.typ == quant.Q4 {
		return &qLevels[qSel[qkRows4]]
	}
	return &qLevels[qSel[qkRows8]]
}

// sum4x2 returns the sums of the low and high 4 signed bytes of x.
func sum4x2(x uint64) (lo, hi int32) {
	x ^= 0x8080808080808080 // a + 128, unsigned
	x = x&0x00ff00ff00ff00ff + x>>8&0x00ff00ff00ff00ff
	x = x&0x0000ffff0000ffff + x>>16&0x0000ffff0000ffff
	return int32(x&0xffffffff) - 512, int32(x>>32) - 512
}

// qLaneBytes returns, for lane L of a group of G tokens, its token and the
// two 8-byte halves' share: G = 4 sums the 16 bytes of quarter L/4 (both
// 4-byte groups of both 8-byte words), G = 2 the 4-byte group h = L/2%2 of
// each word of the quarter.
func qLane(G, L int) (t, q, h int) {
	if G == 4 {
		return L % 4, L / 4, -1
	}
	return L % 2, L / 4, L / 2 % 2
}

// layout writes group g's stream (qStreamBytes).
func (b *QBatch) layout(g qGroup) {
	k, nb, G := b.k, b.k/32, g.G
	st := b.stream[g.off : g.off+qStreamBytes(b.typ, G, k)]
	o := 0
	if b.typ == quant.Q8 && b.width == 32 {
		for blk := 0; blk < nb; blk++ {
			o += b.layoutStep(st[o:], g, 32*blk, 32, blk, true)
		}
		return
	}
	if b.typ == quant.Q8 {
		for s := 0; s < nb/2; s++ {
			o += b.layoutStep(st[o:], g, 64*s, 64, 2*s, true)
		}
		if nb%2 != 0 {
			o += b.layoutStep(st[o:], g, 32*(nb-1), 32, nb-1, true)
		}
		return
	}
	for sb := 0; sb < k/256; sb++ {
		if b.width == 32 {
			for j := 0; j < 8; j++ {
				o += b.layoutStep(st[o:], g, 256*sb+32*j, 32, 8*sb+j, false)
			}
		} else {
			for p := 0; p < 4; p++ {
				o += b.layoutStep(st[o:], g, 256*sb+64*p, 64, 8*sb+2*p, false)
			}
		}
		for t := 0; t < G; t++ {
			for j := 0; j < 8; j++ {
				var v float32
				if t < g.n {
					i := (g.t0+t)*nb + 8*sb + j
					v = b.scales[i] * float32(b.sums[i])
				}
				binary.LittleEndian.PutUint32(st[o+32*t+4*j:], math.Float32bits(v))
			}
		}
		o += 32 * G
	}
}

// layoutStep writes one step of the group's stream at st: the G tokens'
// vb (64 or 32) activations from offset a0 (zeros for padding), then (Q8:
// corr) the lane corrections, then the lane scales (the step's first block
// is blk0). It returns the bytes written. Token by token: a 16-byte quarter
// q of token t gives lane 4q+t (G = 4) or lanes 4q+t and 4q+2+t (G = 2,
// the 4-byte groups 0, 2 and 1, 3), as qLane describes.
func (b *QBatch) layoutStep(st []byte, g qGroup, a0, vb, blk0 int, corr bool) int {
	G, k, nb := g.G, b.k, b.k/32
	na := vb * G
	cs, ss := st[na:na+vb], st[na:na+vb]
	n := na + vb
	if corr {
		ss = st[na+vb : na+2*vb]
		n += vb
	}
	qb := int8Bytes(b.q)
	for t := 0; t < G; t++ {
		dst := st[vb*t : vb*t+vb]
		if t >= g.n {
			clear(dst)
			for q := 0; q < vb/16; q++ {
				for L := 4*q + t; L < 4*q+4; L += G {
					if corr {
						binary.LittleEndian.PutUint32(cs[4*L:], 0)
					}
					binary.LittleEndian.PutUint32(ss[4*L:], 0)
				}
			}
			continue
		}
		src := qb[(g.t0+t)*k+a0 : (g.t0+t)*k+a0+vb]
		copy(dst, src)
		sc := b.scales[(g.t0+t)*nb+blk0:]
		for q := 0; q < vb/16; q++ {
			sb := math.Float32bits(sc[q/2])
			l0, h0 := sum4x2(binary.LittleEndian.Uint64(src[16*q:]))
			l1, h1 := sum4x2(binary.LittleEndian.Uint64(src[16*q+8:]))
			if G == 4 {
				L := 4*q + t
				if corr {
					binary.LittleEndian.PutUint32(cs[4*L:], uint32(-128*((l0+h0)+(l1+h1))))
				}
				binary.LittleEndian.PutUint32(ss[4*L:], sb)
				continue
			}
			L0, L1 := 4*q+t, 4*q+2+t
			if corr {
				binary.LittleEndian.PutUint32(cs[4*L0:], uint32(-128*(l0+l1)))
				binary.LittleEndian.PutUint32(cs[4*L1:], uint32(-128*(h0+h1)))
			}
			binary.LittleEndian.PutUint32(ss[4*L0:], sb)
			binary.LittleEndian.PutUint32(ss[4*L1:], sb)
		}
	}
	return n
}

// GemmQ8Batch sets out[i*ldo + r] to the dot product of Q8 row r of w (nw
// rows of k = b's k values) and token i of b, as GemmQ8 would, for i < nx,
// r < nw: for 2 ≤ nx ≤ the level's rowsMax with its few-row kernel (one
// pass over the rows for all tokens, lane-wise float accumulation, accuracy
// stated above), otherwise with GemmQ8 itself. It panics where GemmQ8
// would, or if b was prepared for Q4.
func GemmQ8Batch(out []float32, ldo int, b *QBatch, w []byte, nw int) {
	if b.typ != quant.Q8 {
		panic("simd: GemmQ8Batch: the batch was prepared for Q4 rows")
	}
	l := b.rowsLevel()
	if b.nx < 2 || b.nx > l.rowsMax || l.rows8 == nil || b.width != l.rowsStream {
		// (A batch prepared under another selection of levels has no
		// stream, or one of another width: the tests switch levels.)
		GemmQ8(out, ldo, b.q, b.scales, b.sums, b.nx, w, nw, b.k)
		return
	}
	if !checkQGemm("GemmQ8Batch", 32, 34, out, ldo, b.q, b.scales, b.sums, b.nx, w, nw, b.k) {
		return
	}
	l.rows8(out, ldo, b, w, nw)
}

// GemmQ4Batch is GemmQ8Batch for Q4 rows (GemmQ4).
func GemmQ4Batch(out []float32, ldo int, b *QBatch, w []byte, nw int) {
	if b.typ != quant.Q4 {
		panic("simd: GemmQ4Batch: the batch was prepared for Q8 rows")
	}
	l := b.rowsLevel()
	if b.nx < max(2, l.rows4Min) || b.nx > l.rowsMax || l.rows4 == nil || b.width != l.rowsStream {
		GemmQ4(out, ldo, b.q, b.scales, b.sums, b.nx, w, nw, b.k)
		return
	}
	if !checkQGemm("GemmQ4Batch", 256, 144, out, ldo, b.q, b.scales, b.sums, b.nx, w, nw, b.k) {
		return
	}
	l.rows4(out, ldo, b, w, nw)
}

// qRowsFunc is a few-row kernel: out for every token of b and nw rows.
type qRowsFunc func(out []float32, ldo int, b *QBatch, w []byte, nw int)

// fma32 is a float32 fused multiply-add (through float64: the exact
// product of two float32 fits, so only the double rounding of the sum can
// differ from a float32 FMA, in rare ties).
func fma32(a, b, c float32) float32 {
	return float32(math.FMA(float64(a), float64(b), float64(c)))
}

// qTwinLanes computes one step's merged lanes v (exact integers) of a group
// for the Go twins: lane L sums its token's products of codes c (unsigned
// bytes, Q8 offset corrected by off = 128, Q4 levels with off = 0) and
// activations over the lane's bytes of the step (width vb).
func qTwinLanes(vb int, c []byte, off int32, b *QBatch, g qGroup, a0 int, v []int32) {
	for L := 0; L < vb/4; L++ {
		t, q, h := qLane(g.G, L)
		if t >= g.n {
			v[L] = 0 // padding: zero activations
			continue
		}
		at := b.q[(g.t0+t)*b.k+a0 : (g.t0+t)*b.k+a0+vb]
		var s int32
		for x := 16 * q; x < 16*q+16; x++ {
			if h >= 0 && (x-16*q)/4%2 != h {
				continue
			}
			s += (int32(c[x]) - off) * int32(at[x])
		}
		v[L] = s
	}
}

// rowsQ8Go is the Go twin of the few-row Q8 kernels: their groups, lanes,
// order and fusion.
func rowsQ8Go(out []float32, ldo int, b *QBatch, w []byte, nw int) {
	nb := b.k / 32
	rb := nb * 34
	var codes [64]byte
	var v [16]int32
	for r := 0; r < nw; r++ {
		row := w[r*rb : (r+1)*rb]
		for _, g := range b.groups {
			var fe, fo [16]float32
			blk := 0
			for ; blk+2 <= nb; blk += 2 {
				// Blocks blk, blk+1: in 8-block runs, the steps alternate
				// between two accumulators; the pairs after them use the first.
				f := &fe
				if blk%4 == 2 && blk+8-blk%8 <= nb {
					f = &fo
				}
				copy(codes[:32], row[blk*34+2:blk*34+34])
				copy(codes[32:], row[blk*34+36:blk*34+68])
				qTwinLanes(64, codes[:], 128, b, g, 32*blk, v[:])
				for L := 0; L < 16; L++ {
					t, q, _ := qLane(g.G, L)
					bl := blk + q/2
					d := f16(binary.LittleEndian.Uint16(row[bl*34:]))
					var s float32
					if t < g.n {
						s = b.scales[(g.t0+t)*nb+bl]
					}
					f[L] = fma32(float32(v[L]), s*d, f[L])
				}
			}
			var y [8]float32
			for L := range y {
				f, f8 := fe[L]+fo[L], fe[L+8]+fo[L+8]
				y[L] = f + f8
			}
			if blk < nb {
				copy(codes[:32], row[blk*34+2:blk*34+34])
				qTwinLanes(32, codes[:], 128, b, g, 32*blk, v[:])
				d := f16(binary.LittleEndian.Uint16(row[blk*34:]))
				for L := 0; L < 8; L++ {
					t, _, _ := qLane(g.G, L)
					var s float32
					if t < g.n {
						s = b.scales[(g.t0+t)*nb+blk]
					}
					y[L] = fma32(float32(v[L]), s*d, y[L])
				}
			}
			x := qTwinFold(g.G, &y)
			for t := 0; t < g.n; t++ {
				out[(g.t0+t)*ldo+r] = x[t]
			}
		}
	}
}

// qTwinFold folds the 8 lanes left at a row's end to one sum per token.
func qTwinFold(G int, y *[8]float32) (x [4]float32) {
	for L := range x {
		x[L] = y[L] + y[L+4]
	}
	if G == 2 {
		x[0], x[1] = x[0]+x[2], x[1]+x[3]
	}
	return x
}

// rowsQ4Go is the Go twin of the few-row Q4 kernels.
func rowsQ4Go(out []float32, ldo int, b *QBatch, w []byte, nw int) {
	nb, nsb := b.k/32, b.k/256
	rb := nsb * 144
	var codes [64]byte
	var v [16]int32
	var h q4Head
	for r := 0; r < nw; r++ {
		row := w[r*rb : (r+1)*rb]
		for _, g := range b.groups {
			var fe, fo [16]float32
			var fm [4][8]float32
			for sb := 0; sb < nsb; sb++ {
				blk := row[sb*144 : sb*144+144]
				decodeQ4Head(blk, &h)
				for t := 0; t < g.G; t++ {
					for j := 0; j < 8; j++ {
						var ss float32
						if t < g.n {
							i := (g.t0+t)*nb + 8*sb + j
							ss = b.scales[i] * float32(b.sums[i])
						}
						fm[t][j] = fma32(-h.M[j], ss, fm[t][j])
					}
				}
				for p := 0; p < 4; p++ {
					for j := 2 * p; j < 2*p+2; j++ {
						pr, shift := blk[16+(j/2)*32:16+(j/2)*32+32], 4*(j&1)
						for x := 0; x < 32; x++ {
							codes[32*(j-2*p)+x] = h.lv[pr[x]>>shift&15]
						}
					}
					qTwinLanes(64, codes[:], 0, b, g, 256*sb+64*p, v[:])
					f := &fe
					if p&1 != 0 {
						f = &fo
					}
					for L := 0; L < 16; L++ {
						t, q, _ := qLane(g.G, L)
						j := 2*p + q/2
						var s float32
						if t < g.n {
							s = b.scales[(g.t0+t)*nb+8*sb+j]
						}
						f[L] = fma32(float32(v[L]), s*h.S[j], f[L])
					}
				}
			}
			var y [8]float32
			for L := range y {
				f, f8 := fe[L]+fo[L], fe[L+8]+fo[L+8]
				y[L] = f + f8
			}
			x := qTwinFold(g.G, &y)
			for t := 0; t < g.n; t++ {
				m := &fm[t]
				out[(g.t0+t)*ldo+r] = x[t] + (((m[0] + m[1]) + (m[2] + m[3])) + ((m[4] + m[5]) + (m[6] + m[7])))
			}
		}
	}
}

// qRowsMaxGeneric: the generic level's Go twins serve batches of up to 16
// tokens (they read each row once per group).
const qRowsMaxGeneric = 16
