package quant

import (
	"encoding/binary"
	"fmt"
	"math"
)

const (
	q4Block   = 256 // weights per super-block
	q4Sub     = 32  // weights per sub-block (one scale code, one min code)
	q4NSub    = q4Block / q4Sub
	q4Bytes   = 4 + 12 + q4Block/2 // 144
	q4CodeMax = 63                 // 6-bit scale and min codes
	q4LvlMax  = 127                // largest LUT level
)

// Q4MaxAbs is the largest weight magnitude Q4 encodes. A super-block
// spanning ±Q4MaxAbs decodes through S·L up to ~2·Q4MaxAbs, which must stay
// below MaxFloat32 (3.4e38) for the float32 kernels.
const Q4MaxAbs = 1e38

// q4Levels are the four 16-entry level tables of Q4 (layout version 1).
// Each runs from 0 to 127 so that level×activation pairs summed by AVX2
// VPMADDUBSW stay below 2·127·127 = 32258 < 32767 (no saturation), and a
// level fits both u8 (VPDPBUSD, VPSHUFB) and s8 (arm64 SDOT, TBL).
//
// They were fitted by Lloyd iterations of the full Q4 encoder (each
// super-block picks its best table; each table level moves to the
// importance-weighted mean of the values coded with it) on an equal mix of
// Gaussian, Student-t(4) and trained-like 2304-wide rows, then rounded to
// integers (the rounding costs 0.3% RMS):
//
//	0: Gaussian, wide    — levels denser in the middle than at the ends
//	1: Gaussian, narrow  — close to uniform, for light-tailed blocks
//	2: skewed low        — dense near 0, for a block with one large positive outlier
//	3: skewed high       — dense near 127, for one large negative outlier
//
// Tables 2 and 3 are what bring the trained-like error (0.1% of the input
// columns ×20) from 0.0873 with table 0 alone to 0.067.
var q4Levels = [4][16]uint8{
	{0, 12, 22, 30, 37, 44, 51, 58, 65, 71, 78, 85, 93, 102, 113, 127},
	{0, 11, 19, 27, 35, 43, 51, 59, 66, 74, 82, 89, 97, 105, 115, 127},
	{0, 4, 7, 10, 14, 19, 27, 39, 49, 59, 68, 77, 87, 98, 110, 127},
	{0, 16, 27, 38, 47, 55, 64, 72, 82, 91, 101, 109, 114, 118, 121, 127},
}

// Q4Levels returns the four level tables (LUTs) of Q4, indexed by the table
// selector of a super-block and by the 4-bit code.
func Q4Levels() [4][16]uint8 { return q4Levels }

// q4lut is a level table prepared for nearest-level search.
type q4lut struct {
	L   [16]float32
	thr [16]float32 // thr[k] = midpoint of L[k], L[k+1]; thr[15] = +Inf
	bin [q4LvlMax + 1]uint8
}

var q4luts = func() (ls [4]q4lut) {
	for k := range ls {
		l := &ls[k]
		for i, v := range q4Levels[k] {
			l.L[i] = float32(v)
		}
		for i := 0; i < 15; i++ {
			l.thr[i] = (l.L[i] + l.L[i+1]) / 2
		}
		l.thr[15] = float32(math.Inf(1))
		// bin[b] = number of thresholds below b. Levels are ≥ 3 apart, so a
		// unit interval [b, b+1) holds at most one threshold and nearest
		// needs one comparison after the lookup.
		for b := range l.bin {
			n := 0
			for n < 15 && l.thr[n] < float32(b) {
				n++
			}
			l.bin[b] = uint8(n)
		}
	}
	return
}()

// nearest returns the index of the level nearest to t (ties go down),
// without branches: the search's inner loops call it ~80 times per weight
// and a mispredicted comparison costs more than the arithmetic.
func (l *q4lut) nearest(t float32) uint8 {
	i := max(0, min(int(t), q4LvlMax)) // t ≤ 0 → bin 0, t ≥ 127 → bin 127 (level 15)
	q := l.bin[i] & 15
	// +1 if t > thr[q]: the sign bit of thr[q] − t. The min keeps a NaN t
	// (from a degenerate 1/span overflow in the search) in range.
	return min(q+uint8(math.Float32bits(l.thr[q]-t)>>31), 15)
}

// Search parameters of the Q4 encoder (see the package comment for what
// each buys). They are variables only so that tests and benchmarks can
// measure the trade-offs; they are not part of the format.
var (
	q4Steps = 6   // scale candidates per sub-block and table
	q4Range = 0.2 // candidates span 127/span·(1 ± q4Range/2)
	q4Lloyd = 1   // reassign+refit rounds per candidate
	q4Tries = 2   // tables fully encoded per super-block (best by fit error)
	q4Rad   = 1   // code search radius around the rounded scale/min codes
	q4Refit = 1   // least-squares refits of the super-block d, dmin
)

// q4Enc is one candidate encoding of a normalised super-block.
type q4Enc struct {
	d, dmin float32
	sel     int
	sc, mc  [q4NSub]uint8
	q       [q4Block]uint8
	err     float32
}

type q4Encoder struct {
	x    [q4Block]float32
	best q4Enc
	cur  q4Enc
	tmp  q4Enc
}

func newQ4Encoder() *q4Encoder { return new(q4Encoder) }

func (e *q4Encoder) quantizeRow(dst []byte, w, h []float32) error {
	for b := 0; b < len(w)/q4Block; b++ {
		hb := ones[:]
		if h != nil {
			hb = h[b*q4Block : (b+1)*q4Block]
		}
		if err := e.superBlock(dst[b*q4Bytes:(b+1)*q4Bytes], w[b*q4Block:(b+1)*q4Block], hb, b*q4Block); err != nil {
			return err
		}
	}
	return nil
}

// subStats are the sums of one sub-block that every candidate reuses.
type subStats struct {
	sw, sx, sx2 float32
	mn, mx      float32 // mn is clamped to ≤ 0 (mins are stored ≥ 0)
}

func (e *q4Encoder) superBlock(dst []byte, w, h []float32, off int) error {
	var amax float32
	for i, v := range w {
		if !finite(v) {
			return nonFinite(off+i, v)
		}
		amax = max(amax, abs32(v))
	}
	if amax > Q4MaxAbs {
		return fmt.Errorf("%w: |weight| %g in super-block %d exceeds Q4MaxAbs %g", ErrValue, amax, off/q4Block, float32(Q4MaxAbs))
	}
	clear(dst)
	if amax == 0 {
		return nil
	}
	// Normalise to max |x| in [1, 2) by a power of two (exact), so that
	// neither tiny nor huge weights under- or overflow the float32 sums.
	_, ex := math.Frexp(float64(amax))
	norm := math.Ldexp(1, 1-ex)
	x := &e.x
	for i, v := range w {
		x[i] = float32(float64(v) * norm)
	}
	var st [q4NSub]subStats
	for j := range st {
		s := &st[j]
		xs, hs := x[j*q4Sub:(j+1)*q4Sub], h[j*q4Sub:(j+1)*q4Sub]
		s.mn, s.mx = xs[0], xs[0]
		for i, v := range xs {
			s.sw += hs[i]
			s.sx += hs[i] * v
			s.sx2 += hs[i] * v * v
			s.mn = min(s.mn, v)
			s.mx = max(s.mx, v)
		}
		s.mn = min(s.mn, 0)
	}
	// Rank the tables by the error of a quick fit (plain span/127 scale,
	// one least-squares round) and search the q4Tries best ones in full.
	var tot [4]float32
	for k := range q4luts {
		for j := range st {
			_, _, fe := q4luts[k].fit(x[j*q4Sub:(j+1)*q4Sub], h[j*q4Sub:(j+1)*q4Sub], &st[j], 0)
			tot[k] += fe
		}
	}
	order := [4]int{0, 1, 2, 3}
	for i := 1; i < 4; i++ { // stable insertion sort by tot
		for j := i; j > 0 && tot[order[j]] < tot[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}

	best := &e.best
	best.err = float32(math.Inf(1))
	// The naive encodings (sub-block scale span/127 and min −mn, codes
	// rounded from max/63) are candidates too, so the search is never worse
	// than them.
	var ns, nm [q4NSub]float32
	for j, s := range st {
		ns[j], nm[j] = (s.mx-s.mn)/q4LvlMax, -s.mn
	}
	for k := range q4luts {
		e.encode(k, &ns, &nm, h, &e.cur, 0, 0)
		if e.cur.err < best.err {
			*best = e.cur
		}
	}
	for _, k := range order[:q4Tries] {
		var fs, fm [q4NSub]float32
		for j := range st {
			fs[j], fm[j], _ = q4luts[k].fit(x[j*q4Sub:(j+1)*q4Sub], h[j*q4Sub:(j+1)*q4Sub], &st[j], q4Steps)
		}
		e.encode(k, &fs, &fm, h, &e.cur, q4Rad, q4Refit)
		if e.cur.err < best.err {
			*best = e.cur
		}
	}
	e.write(dst, best, ex-1)
	return nil
}

// encode quantizes the sub-block scales s and mins m with table k into
// 6-bit codes under bf16 super-scales, then refits the super-scales by
// least squares refit times, keeping the best encoding in out.
func (e *q4Encoder) encode(k int, s, m *[q4NSub]float32, h []float32, out *q4Enc, rad, refit int) {
	var ms, mm float32
	for j := range s {
		ms = max(ms, s[j])
		mm = max(mm, m[j])
	}
	e.codes(k, s, m, roundBF16(ms/q4CodeMax), roundBF16(mm/q4CodeMax), h, out, rad)
	for it := 0; it < refit; it++ {
		d, dmin, ok := e.lsSuper(out, h)
		if !ok || (d == out.d && dmin == out.dmin) {
			return
		}
		e.codes(k, s, m, d, dmin, h, &e.tmp, rad)
		if e.tmp.err >= out.err {
			return
		}
		*out = e.tmp
	}
}

// codes picks, for each sub-block, the scale and min codes within q4Rad of
// the rounded targets and the nearest levels that give the least error.
func (e *q4Encoder) codes(k int, s, m *[q4NSub]float32, d, dmin float32, h []float32, out *q4Enc, rad int) {
	l := &q4luts[k]
	out.d, out.dmin, out.sel, out.err = d, dmin, k, 0
	var qt [q4Sub]uint8
	for j := 0; j < q4NSub; j++ {
		xs, hs := e.x[j*q4Sub:(j+1)*q4Sub], h[j*q4Sub:(j+1)*q4Sub]
		sc0, mc0, rs, rm := 0, 0, 0, 0
		if d > 0 {
			sc0, rs = int(s[j]/d+0.5), rad
		}
		if dmin > 0 {
			mc0, rm = int(m[j]/dmin+0.5), rad
		}
		bestErr := float32(math.Inf(1))
		try := func(sc, mc int) {
			if sc < 0 || mc < 0 || sc > q4CodeMax || mc > q4CodeMax {
				return
			}
			er := l.assign(xs, hs, d*float32(sc), dmin*float32(mc), qt[:])
			if er < bestErr {
				bestErr = er
				out.sc[j], out.mc[j] = uint8(sc), uint8(mc)
				copy(out.q[j*q4Sub:], qt[:])
			}
		}
		sc0, mc0 = min(sc0, q4CodeMax), min(mc0, q4CodeMax)
		for sc := sc0 - rs; sc <= sc0+rs; sc++ {
			for mc := mc0 - rm; mc <= mc0+rm; mc++ {
				try(sc, mc)
			}
		}
		out.err += bestErr
	}
}

// assign codes xs with x ≈ S·L[q] − M and returns the weighted error.
func (l *q4lut) assign(xs, hs []float32, S, M float32, q []uint8) float32 {
	var err float32
	if S == 0 {
		for i, v := range xs {
			q[i] = 0
			r := M + v
			err += hs[i] * r * r
		}
		return err
	}
	inv := 1 / S
	// Two accumulators halve the add-latency chain (the loop is latency
	// bound); sub-blocks have an even length.
	var err1 float32
	for i := 0; i+1 < len(xs); i += 2 {
		v0, v1 := xs[i], xs[i+1]
		c0, c1 := l.nearest((v0+M)*inv), l.nearest((v1+M)*inv)
		q[i], q[i+1] = c0, c1
		r0, r1 := S*l.L[c0]-M-v0, S*l.L[c1]-M-v1
		err += hs[i] * r0 * r0
		err1 += hs[i+1] * r1 * r1
	}
	return err + err1
}

// lsSuper returns the least-squares super-scales (d, dmin) for fixed codes
// and levels, rounded to bf16.
func (e *q4Encoder) lsSuper(c *q4Enc, h []float32) (float32, float32, bool) {
	l := &q4luts[c.sel]
	var aa, ab, bb, xa, xb float64
	for j := 0; j < q4NSub; j++ {
		sc, mc := float64(c.sc[j]), float64(c.mc[j])
		for i := j * q4Sub; i < (j+1)*q4Sub; i++ {
			a := sc * float64(l.L[c.q[i]])
			w, x := float64(h[i]), float64(e.x[i])
			aa += w * a * a
			ab += w * a * mc
			bb += w * mc * mc
			xa += w * a * x
			xb += w * mc * x
		}
	}
	// x ≈ d·a − dmin·b
	det := aa*bb - ab*ab
	var d, dmin float64
	if det > 1e-12*aa*bb && det > 0 {
		d = (xa*bb - xb*ab) / det
		dmin = (xa*ab - aa*xb) / det
	}
	if dmin <= 0 || d <= 0 {
		if aa == 0 {
			return 0, 0, false
		}
		d, dmin = xa/aa, 0
	}
	if d <= 0 {
		return 0, 0, false
	}
	return roundBF16(float32(d)), roundBF16(float32(dmin)), true
}

// fit finds a continuous scale s > 0 and min m ≥ 0 for x ≈ s·L[q] − m over
// one sub-block: for q4Steps inverse scales around 127/span it assigns
// nearest levels, solves the weighted least squares for (s, m), and
// reassigns/refits q4Lloyd times; it returns the best (s, m, error).
func (l *q4lut) fit(xs, hs []float32, st *subStats, steps int) (s, m, best float32) {
	span := st.mx - st.mn
	if span <= 0 {
		return 0, -st.mn, 0
	}
	best = float32(math.Inf(1))
	s, m = span/q4LvlMax, -st.mn
	// Candidate 0 is the plain span/127; then q4Steps inverse scales
	// evenly over 127/span·[1−q4Range/2, 1+q4Range/2].
	for is := -1; is < steps; is++ {
		f := float32(1)
		if is >= 0 && steps > 1 {
			f = 1 + float32(q4Range)*(float32(is)/float32(steps-1)-0.5)
		}
		ts, tm := span/(q4LvlMax*f), -st.mn
		for it := 0; it <= q4Lloyd; it++ {
			var sl, sl2, sxl, sl1, sl21, sxl1 float32
			inv := 1 / ts
			for i := 0; i+1 < len(xs); i += 2 {
				v0, v1 := xs[i], xs[i+1]
				l0, l1 := l.L[l.nearest((v0+tm)*inv)], l.L[l.nearest((v1+tm)*inv)]
				h0, h1 := hs[i]*l0, hs[i+1]*l1
				sl += h0
				sl1 += h1
				sl2 += h0 * l0
				sl21 += h1 * l1
				sxl += h0 * v0
				sxl1 += h1 * v1
			}
			sl, sl2, sxl = sl+sl1, sl2+sl21, sxl+sxl1
			// x ≈ s·l + o with o = −m ≤ 0
			det := st.sw*sl2 - sl*sl
			var ns, no float32
			if det > 0 {
				ns = (st.sw*sxl - st.sx*sl) / det
				no = (sl2*st.sx - sl*sxl) / det
			}
			if det <= 0 || no > 0 {
				if sl2 == 0 {
					break
				}
				ns, no = sxl/sl2, 0
			}
			if !(ns > 0) {
				break
			}
			er := ns*ns*sl2 + no*no*st.sw + st.sx2 + 2*ns*no*sl - 2*ns*sxl - 2*no*st.sx
			if er < best {
				best, s, m = er, ns, -no
			}
			ts, tm = ns, -no
		}
	}
	return s, m, best
}

func roundBF16(v float32) float32 { return fromBF16(toBF16(v)) }

// write stores a normalised encoding; the super-scales are multiplied back
// by 2^e (exact unless the result leaves the bf16 range).
func (e *q4Encoder) write(dst []byte, c *q4Enc, ex int) {
	d := toBF16(float32(math.Ldexp(float64(c.d), ex)))
	dmin := toBF16(float32(math.Ldexp(float64(c.dmin), ex)))
	binary.LittleEndian.PutUint16(dst[0:], d|uint16(c.sel&1)<<15)
	binary.LittleEndian.PutUint16(dst[2:], dmin|uint16(c.sel>>1)<<15)
	var hi uint32
	for j := 0; j < q4NSub; j++ {
		sc, mc := c.sc[j], c.mc[j]
		dst[4+j] = sc&15 | mc<<4
		hi |= uint32(sc>>4)<<(2*j) | uint32(mc>>4)<<(16+2*j)
	}
	binary.LittleEndian.PutUint32(dst[12:], hi)
	qs := dst[16:]
	for p := 0; p < q4NSub/2; p++ {
		for i := 0; i < q4Sub; i++ {
			qs[p*q4Sub+i] = c.q[2*p*q4Sub+i] | c.q[(2*p+1)*q4Sub+i]<<4
		}
	}
}

// q4Header decodes the super-block header: scale d, min scale dmin, table
// selector and the eight 6-bit scale and min codes.
func q4Header(blk []byte) (d, dmin float32, sel int, sc, mc [q4NSub]uint8) {
	db := binary.LittleEndian.Uint16(blk[0:])
	mb := binary.LittleEndian.Uint16(blk[2:])
	d, dmin = fromBF16(db&0x7fff), fromBF16(mb&0x7fff)
	sel = int(db>>15) | int(mb>>15)<<1
	hi := binary.LittleEndian.Uint32(blk[12:])
	for j := 0; j < q4NSub; j++ {
		sc[j] = blk[4+j]&15 | uint8(hi>>(2*j)&3)<<4
		mc[j] = blk[4+j]>>4 | uint8(hi>>(16+2*j)&3)<<4
	}
	return
}

// q4Code returns the 4-bit code of weight i (0..255) of a super-block.
func q4Code(qs []byte, i int) uint8 {
	j, l := i/q4Sub, i%q4Sub
	return qs[(j/2)*q4Sub+l] >> (4 * (j & 1)) & 15
}

func dequantizeQ4Row(row []byte, out []float32) {
	for b := 0; b < len(out)/q4Block; b++ {
		blk := row[b*q4Bytes : (b+1)*q4Bytes]
		d, dmin, sel, sc, mc := q4Header(blk)
		lv := &q4luts[sel].L
		qs := blk[16:]
		o := out[b*q4Block : (b+1)*q4Block]
		for j := 0; j < q4NSub; j++ {
			S, M := d*float32(sc[j]), dmin*float32(mc[j])
			pair, shift := qs[(j/2)*q4Sub:(j/2+1)*q4Sub], 4*(j&1)
			for i, c := range pair {
				o[j*q4Sub+i] = S*lv[c>>shift&15] - M
			}
		}
	}
}

// DotQ4 returns the dot product of one Q4 row of cols weights with
// activations quantized by QuantizeActivations. For sub-block j of a
// super-block, with weight codes c_i, meeting activation block b:
//
//	acc += scales[b] · (S_j·Σ_i L[c_i]·q[i] − M_j·sums[b]),  S_j = d·sc_j, M_j = dmin·mc_j
//
// with the level dot exact in int32 (|Σ| ≤ 32·127·127) and the block terms
// accumulated in float32 in block order. This is the reference the assembly
// kernels are checked against; it is not fast.
func DotQ4(row []byte, q []int8, scales []float32, sums []int32, cols int) float32 {
	nsb := cols / q4Block
	if nsb == 0 {
		return 0
	}
	_ = row[nsb*q4Bytes-1]
	_ = q[cols-1]
	_, _ = scales[cols/ActBlock-1], sums[cols/ActBlock-1]
	var acc float32
	for b := 0; b < nsb; b++ {
		blk := row[b*q4Bytes : (b+1)*q4Bytes]
		d, dmin, sel, sc, mc := q4Header(blk)
		lv := &q4Levels[sel]
		qs := blk[16:]
		for j := 0; j < q4NSub; j++ {
			ab := b*q4NSub + j
			a := q[ab*ActBlock : (ab+1)*ActBlock]
			pair, shift := qs[(j/2)*q4Sub:(j/2+1)*q4Sub], 4*(j&1)
			var s int32
			for i, c := range pair {
				s += int32(lv[c>>shift&15]) * int32(a[i])
			}
			S, M := d*float32(sc[j]), dmin*float32(mc[j])
			acc += scales[ab] * (S*float32(s) - M*float32(sums[ab]))
		}
	}
	return acc
}
