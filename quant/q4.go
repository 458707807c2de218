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
	// The search runs the eight sub-blocks side by side, one per lane:
	// xt[i][j], ht[i][j] are weight i of sub-block j and its importance.
	xt, ht [q4Sub][q4NSub]float32
	st     [q4NSub]subStats
	ct     [9][q4Sub][q4NSub]int32 // codes of each candidate of codes()
	// The ranking fit of each table (candidate 0 only) is also the first
	// candidate of the full fit: its (s, m, error) per sub-block.
	first [4][3][q4NSub]float32
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
		if a := abs32(v); a > amax {
			amax = a
		}
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
	st := &e.st
	for j := range st {
		s := &st[j]
		*s = subStats{}
		xs, hs := x[j*q4Sub:(j+1)*q4Sub], h[j*q4Sub:(j+1)*q4Sub]
		s.mn, s.mx = xs[0], xs[0]
		for i, v := range xs {
			s.sw += hs[i]
			s.sx += hs[i] * v
			s.sx2 += hs[i] * v * v
			s.mn = min(s.mn, v)
			s.mx = max(s.mx, v)
			e.xt[i][j], e.ht[i][j] = v, hs[i]
		}
		s.mn = min(s.mn, 0)
	}
	// Rank the tables by the error of a quick fit (plain span/127 scale,
	// one least-squares round) and search the q4Tries best ones in full.
	var tot [4]float32
	var fs, fm, fe [q4NSub]float32
	for k := range q4luts {
		e.fit(k, 0, &fs, &fm, &fe)
		e.first[k] = [3][q4NSub]float32{fs, fm, fe}
		for j := range fe {
			tot[k] += fe[j]
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
		e.fit(k, q4Steps, &fs, &fm, &fe)
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

// codes picks, for each sub-block, the scale and min codes within rad of
// the rounded targets and the nearest levels that give the least error.
// The candidates are tried in the same order for every sub-block, one
// sub-block per lane, and the first least error wins.
func (e *q4Encoder) codes(k int, s, m *[q4NSub]float32, d, dmin float32, h []float32, out *q4Enc, rad int) {
	l := &q4luts[k]
	out.d, out.dmin, out.sel, out.err = d, dmin, k, 0
	var sc0, mc0 [q4NSub]int
	rs, rm := 0, 0
	if d > 0 {
		rs = rad
	}
	if dmin > 0 {
		rm = rad
	}
	for j := range sc0 {
		if d > 0 {
			sc0[j] = int(s[j]/d + 0.5)
		}
		if dmin > 0 {
			mc0[j] = int(m[j]/dmin + 0.5)
		}
		sc0[j], mc0[j] = min(sc0[j], q4CodeMax), min(mc0[j], q4CodeMax)
	}
	var bestErr, S, M, inv, errs [q4NSub]float32
	var win [q4NSub]int // candidate whose codes lane j keeps; -1: all zero
	for j := range bestErr {
		bestErr[j] = float32(math.Inf(1))
	}
	cand := 0
	for ds := -rs; ds <= rs; ds++ {
		for dm := -rm; dm <= rm; dm, cand = dm+1, cand+1 {
			var valid [q4NSub]bool
			for j := range S {
				sc, mc := sc0[j]+ds, mc0[j]+dm
				valid[j] = sc >= 0 && mc >= 0 && sc <= q4CodeMax && mc <= q4CodeMax
				S[j], M[j] = d*float32(sc), dmin*float32(mc)
				inv[j] = 1 / S[j]
			}
			q4AssignLanes(&e.xt, &e.ht, &S, &M, &inv, k, &errs, &e.ct[cand])
			for j := range errs {
				if !valid[j] {
					continue
				}
				er := errs[j]
				if S[j] == 0 {
					er = l.assignZero(e.x[j*q4Sub:(j+1)*q4Sub], h[j*q4Sub:(j+1)*q4Sub], M[j])
				}
				if er < bestErr[j] {
					bestErr[j] = er
					out.sc[j], out.mc[j] = uint8(sc0[j]+ds), uint8(mc0[j]+dm)
					win[j] = cand
					if S[j] == 0 {
						win[j] = -1
					}
				}
			}
		}
	}
	for j := range bestErr {
		out.err += bestErr[j]
		q := out.q[j*q4Sub : (j+1)*q4Sub]
		if win[j] < 0 {
			clear(q)
			continue
		}
		ct := &e.ct[win[j]]
		for i := range q {
			q[i] = uint8(ct[i][j])
		}
	}
}

// assignZero is the error of coding a sub-block with scale 0 (every weight
// becomes −M, code 0).
func (l *q4lut) assignZero(xs, hs []float32, M float32) float32 {
	var err float32
	for i, v := range xs {
		r := M + v
		err += hs[i] * r * r
	}
	return err
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

// fit finds, for each sub-block j of table k, a continuous scale s > 0 and
// min m ≥ 0 for x ≈ s·L[q] − m: for steps inverse scales around
// 127/span (and the plain span/127) it assigns nearest levels, solves the
// weighted least squares for (s, m), and reassigns/refits q4Lloyd times; it
// returns the best (s, m, error) of every sub-block. The eight sub-blocks
// run side by side, one per lane of q4FitLanes; each lane does exactly the
// arithmetic of the one-sub-block search.
//
// With steps > 0 it starts from e.first[k], the result of steps = 0 (the
// plain span/127 candidate alone), which must be current.
func (e *q4Encoder) fit(k, steps int, s, m, best *[q4NSub]float32) {
	var span [q4NSub]float32
	var done [q4NSub]bool
	for j := range span {
		st := &e.st[j]
		span[j] = st.mx - st.mn
		best[j] = float32(math.Inf(1))
		s[j], m[j] = span[j]/q4LvlMax, -st.mn
		if span[j] <= 0 {
			s[j], m[j], best[j], done[j] = 0, -st.mn, 0, true
		}
	}
	is0 := -1
	if steps > 0 {
		*s, *m, *best = e.first[k][0], e.first[k][1], e.first[k][2]
		is0 = 0
	}
	var ts, tm, inv [q4NSub]float32
	var sums [3][q4NSub]float32
	// Candidate 0 is the plain span/127; then steps inverse scales evenly
	// over 127/span·[1−q4Range/2, 1+q4Range/2].
	for is := is0; is < steps; is++ {
		f := float32(1)
		if is >= 0 && steps > 1 {
			f = 1 + float32(q4Range)*(float32(is)/float32(steps-1)-0.5)
		}
		stopped := done
		for j := range ts {
			ts[j], tm[j] = span[j]/(q4LvlMax*f), -e.st[j].mn
		}
		for it := 0; it <= q4Lloyd; it++ {
			for j := range inv {
				inv[j] = 1 / ts[j]
			}
			q4FitLanes(&e.xt, &e.ht, &tm, &inv, k, &sums)
			live := false
			for j := range stopped {
				if stopped[j] {
					continue
				}
				st := &e.st[j]
				sl, sl2, sxl := sums[0][j], sums[1][j], sums[2][j]
				// x ≈ s·l + o with o = −m ≤ 0
				det := st.sw*sl2 - sl*sl
				var ns, no float32
				if det > 0 {
					ns = (st.sw*sxl - st.sx*sl) / det
					no = (sl2*st.sx - sl*sxl) / det
				}
				if det <= 0 || no > 0 {
					if sl2 == 0 {
						stopped[j] = true
						continue
					}
					ns, no = sxl/sl2, 0
				}
				if !(ns > 0) {
					stopped[j] = true
					continue
				}
				er := ns*ns*sl2 + no*no*st.sw + st.sx2 + 2*ns*no*sl - 2*ns*sxl - 2*no*st.sx
				if er < best[j] {
					best[j], s[j], m[j] = er, ns, -no
				}
				ts[j], tm[j] = ns, -no
				live = true
			}
			if !live {
				break
			}
		}
	}
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
