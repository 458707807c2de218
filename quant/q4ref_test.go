package quant

// The Q4 and Q8 encoders as they were before the vectorised search (commit
// 99569ac), kept verbatim (renamed) so that tests can prove the current
// encoders produce bit-identical bytes.

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/x448/float16"
)

// refQ4Enc is one candidate encoding of a normalised super-block.
type refQ4Enc struct {
	d, dmin float32
	sel     int
	sc, mc  [q4NSub]uint8
	q       [q4Block]uint8
	err     float32
}

type refQ4Encoder struct {
	x    [q4Block]float32
	best refQ4Enc
	cur  refQ4Enc
	tmp  refQ4Enc
}

func newRefQ4Encoder() *refQ4Encoder { return new(refQ4Encoder) }

func (e *refQ4Encoder) quantizeRow(dst []byte, w, h []float32) error {
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

func (e *refQ4Encoder) superBlock(dst []byte, w, h []float32, off int) error {
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
			_, _, fe := q4luts[k].refFit(x[j*q4Sub:(j+1)*q4Sub], h[j*q4Sub:(j+1)*q4Sub], &st[j], 0)
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
			fs[j], fm[j], _ = q4luts[k].refFit(x[j*q4Sub:(j+1)*q4Sub], h[j*q4Sub:(j+1)*q4Sub], &st[j], q4Steps)
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
func (e *refQ4Encoder) encode(k int, s, m *[q4NSub]float32, h []float32, out *refQ4Enc, rad, refit int) {
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
func (e *refQ4Encoder) codes(k int, s, m *[q4NSub]float32, d, dmin float32, h []float32, out *refQ4Enc, rad int) {
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
			er := l.refAssign(xs, hs, d*float32(sc), dmin*float32(mc), qt[:])
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
func (l *q4lut) refAssign(xs, hs []float32, S, M float32, q []uint8) float32 {
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
func (e *refQ4Encoder) lsSuper(c *refQ4Enc, h []float32) (float32, float32, bool) {
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
func (l *q4lut) refFit(xs, hs []float32, st *subStats, steps int) (s, m, best float32) {
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

func refQuantizeQ8Row(dst []byte, w, h []float32) error {
	for b := 0; b < len(w)/q8Block; b++ {
		x := w[b*q8Block : (b+1)*q8Block]
		hb := ones[:q8Block]
		if h != nil {
			hb = h[b*q8Block : (b+1)*q8Block]
		}
		blk := dst[b*q8Bytes : (b+1)*q8Bytes]
		var amax, ext float32
		for i, v := range x {
			if !finite(v) {
				return nonFinite(b*q8Block+i, v)
			}
			if a := abs32(v); a > amax {
				amax, ext = a, v
			}
		}
		if amax > Q8MaxAbs {
			return fmt.Errorf("%w: |weight| %g in block %d exceeds Q8MaxAbs %d", ErrValue, amax, b, Q8MaxAbs)
		}
		bits := refQ8BestScale(x, hb, amax, ext)
		binary.LittleEndian.PutUint16(blk, bits)
		d := float16.Frombits(bits).Float32()
		q8CodesGo(x, d, blk[2:])
	}
	return nil
}

// refQ8BestScale returns the fp16 bits of the scale with the least weighted
// squared error among: the max-abs scale amax/127 (Q8_0's), the
// sign-folded scale −ext/128 that maps the extreme weight to code −128,
// and q8Search fp16 neighbours each side of the latter. Ties keep the
// earlier candidate, so the result is never worse than max-abs.
func refQ8BestScale(x, h []float32, amax, ext float32) uint16 {
	if amax == 0 {
		return 0
	}
	best := f16Mag(amax / 127)
	bestErr := q8Err(x, h, float16.Frombits(best).Float32())
	fold := f16Mag(ext / -128)
	for k := -q8Search; k <= q8Search; k++ {
		c := f16Step(fold, k)
		if c == best || c&0x7fff == 0 || c&0x7c00 == 0x7c00 {
			continue
		}
		if e := q8Err(x, h, float16.Frombits(c).Float32()); e < bestErr {
			best, bestErr = c, e
		}
	}
	return best
}

func (e *refQ4Encoder) write(dst []byte, c *refQ4Enc, ex int) {
	var w q4Encoder
	cc := q4Enc(*c)
	w.write(dst, &cc, ex)
}

// refQuantize is Quantize with the reference encoders.
func refQuantize(t Type, w []float32, rows, cols int, importance []float32) ([]byte, error) {
	h, err := normImportance(importance, cols)
	if err != nil {
		return nil, err
	}
	rb := RowBytes(t, cols)
	out := make([]byte, rows*rb)
	enc := newRefQ4Encoder()
	for r := 0; r < rows; r++ {
		dst, row := out[r*rb:(r+1)*rb], w[r*cols:(r+1)*cols]
		switch t {
		case Q4:
			err = enc.quantizeRow(dst, row, h)
		case Q8:
			err = refQuantizeQ8Row(dst, row, h)
		default:
			err = QuantizeRow(t, dst, row, h)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func q8Err(x, h []float32, d float32) float32 {
	inv := 1 / d
	var e float32
	for i, v := range x {
		r := d*float32(q8Code(v, inv)) - v
		e += h[i] * r * r
	}
	return e
}
