package simd

import (
	"encoding/binary"
	"math"

	"github.com/pgedge/pgedge/quant"
)

// The portable twins of the integer kernels. They are always compiled: they
// run when there is no assembly, and the tests check the assembly against
// them. They compute what package quant's reference functions compute, in
// the same order, so they are bit-identical to them (up to the compiler's
// freedom to fuse a multiply and an add, which it uses on arm64).

// q4LevelsTab holds the four Q4 level tables (layout version 1).
var q4LevelsTab = quant.Q4Levels()

// f16 widens IEEE binary16 bits to float32; exact.
func f16(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	man := uint32(h) & 0x3ff
	switch exp {
	case 0: // zero or subnormal: man·2⁻²⁴
		v := float32(man) * 0x1p-24
		if sign != 0 {
			v = -v
		}
		return v
	case 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | man<<13)
	}
	return math.Float32frombits(sign | (exp+112)<<23 | man<<13)
}

// quantizeActsGeneric is the reference itself: the assembly must match it bit for bit.
func quantizeActsGeneric(x []float32, q []int8, scales []float32, sums []int32) {
	quant.QuantizeActivations(x, q, scales, sums)
}

// dotU8S8 returns Σ c[i]·a[i] over 32 values.
func dotU8S8(c []byte, a []int8) int32 {
	c, a = c[:32], a[:32]
	var s0, s1, s2, s3 int32
	for i := 0; i < 32; i += 4 {
		s0 += int32(c[i]) * int32(a[i])
		s1 += int32(c[i+1]) * int32(a[i+1])
		s2 += int32(c[i+2]) * int32(a[i+2])
		s3 += int32(c[i+3]) * int32(a[i+3])
	}
	return (s0 + s1) + (s2 + s3)
}

// gemmQ8Generic runs the weight rows in the outer loop so that a row stays
// in cache while every token meets it.
func gemmQ8Generic(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
	nb := k / 32
	rb := nb * 34
	for r := 0; r < nw; r++ {
		row := w[r*rb : (r+1)*rb]
		for i := 0; i < nx; i++ {
			qi := q[i*k : (i+1)*k]
			si := scales[i*nb : (i+1)*nb]
			mi := sums[i*nb : (i+1)*nb]
			var acc float32
			for b := range si {
				blk := row[b*34 : b*34+34]
				s := dotU8S8(blk[2:], qi[b*32:]) - 128*mi[b]
				d := f16(binary.LittleEndian.Uint16(blk))
				acc += d * si[b] * float32(s)
			}
			out[i*ldo+r] = acc
		}
	}
}

// q4Head is a decoded Q4 super-block header: S_j = d·sc[j], M_j =
// dmin·mc[j], and the level table.
type q4Head struct {
	S, M [8]float32
	lv   *[16]uint8
}

func decodeQ4Head(blk []byte, h *q4Head) {
	db := binary.LittleEndian.Uint16(blk[0:])
	mb := binary.LittleEndian.Uint16(blk[2:])
	d := math.Float32frombits(uint32(db&0x7fff) << 16)
	dmin := math.Float32frombits(uint32(mb&0x7fff) << 16)
	h.lv = &q4LevelsTab[int(db>>15)|int(mb>>15)<<1]
	hi := binary.LittleEndian.Uint32(blk[12:])
	for j := 0; j < 8; j++ {
		sc := blk[4+j]&15 | uint8(hi>>(2*j)&3)<<4
		mc := blk[4+j]>>4 | uint8(hi>>(16+2*j)&3)<<4
		h.S[j], h.M[j] = d*float32(sc), dmin*float32(mc)
	}
}

func gemmQ4Generic(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
	nsb := k / 256
	nb := k / 32
	rb := nsb * 144
	var h q4Head
	for r := 0; r < nw; r++ {
		row := w[r*rb : (r+1)*rb]
		for i := 0; i < nx; i++ {
			qi := q[i*k : (i+1)*k]
			si := scales[i*nb : (i+1)*nb]
			mi := sums[i*nb : (i+1)*nb]
			var acc float32
			for b := 0; b < nsb; b++ {
				blk := row[b*144 : b*144+144]
				decodeQ4Head(blk, &h)
				lv := h.lv
				for j := 0; j < 8; j++ {
					ab := b*8 + j
					a := qi[ab*32 : ab*32+32]
					pair, shift := blk[16+(j/2)*32:16+(j/2)*32+32], 4*(j&1)
					var s0, s1 int32
					for l := 0; l < 32; l += 2 {
						s0 += int32(lv[pair[l]>>shift&15]) * int32(a[l])
						s1 += int32(lv[pair[l+1]>>shift&15]) * int32(a[l+1])
					}
					acc += si[ab] * (h.S[j]*float32(s0+s1) - h.M[j]*float32(mi[ab]))
				}
			}
			out[i*ldo+r] = acc
		}
	}
}

func streamReadGeneric(b []byte) uint64 {
	var s0, s1, s2, s3 uint64
	i := 0
	for ; i+32 <= len(b); i += 32 {
		s0 += binary.LittleEndian.Uint64(b[i:])
		s1 += binary.LittleEndian.Uint64(b[i+8:])
		s2 += binary.LittleEndian.Uint64(b[i+16:])
		s3 += binary.LittleEndian.Uint64(b[i+24:])
	}
	for ; i+8 <= len(b); i += 8 {
		s0 += binary.LittleEndian.Uint64(b[i:])
	}
	for ; i < len(b); i++ {
		s0 += uint64(b[i])
	}
	return (s0 + s1) + (s2 + s3)
}

// peakSeed keeps the compiler from folding the generic peak loop.
var peakSeed, peakSink int32 = 3, 0

// peakGeneric runs a register-only loop of int32 multiply-adds (8
// independent chains) and returns how many it did.
func peakGeneric() int64 {
	const n = 1 << 14
	m := peakSeed
	a0, a1, a2, a3, a4, a5, a6, a7 := m, m+1, m+2, m+3, m+4, m+5, m+6, m+7
	for i := 0; i < n; i++ {
		a0 = a0*m + 1
		a1 = a1*m + 2
		a2 = a2*m + 3
		a3 = a3*m + 4
		a4 = a4*m + 5
		a5 = a5*m + 6
		a6 = a6*m + 7
		a7 = a7*m + 8
	}
	peakSink += a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7
	return 8 * n
}
