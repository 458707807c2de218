package quant

import (
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/x448/float16"
)

func TestTypeBasics(t *testing.T) {
	for _, c := range []struct {
		t          Type
		name       string
		block, sz  int
		bits       float64
		row2304    int
		badColumns int
	}{
		{F32, "F32", 1, 4, 32, 9216, -1},
		{BF16, "BF16", 1, 2, 16, 4608, -1},
		{Q8, "Q8", 32, 34, 8.5, 2448, 1152 + 16},
		{Q4, "Q4", 256, 144, 4.5, 1296, 1152},
	} {
		if c.t.String() != c.name || BlockLen(c.t) != c.block || BlockBytes(c.t) != c.sz || BitsPerWeight(c.t) != c.bits {
			t.Errorf("%v: got %q %d %d %v", c.t, c.t.String(), BlockLen(c.t), BlockBytes(c.t), BitsPerWeight(c.t))
		}
		if got := RowBytes(c.t, 2304); got != c.row2304 {
			t.Errorf("RowBytes(%v, 2304) = %d, want %d", c.t, got, c.row2304)
		}
		if c.badColumns > 0 {
			if err := CheckShape(c.t, 2, c.badColumns); !errors.Is(err, ErrShape) {
				t.Errorf("CheckShape(%v, 2, %d) = %v, want ErrShape", c.t, c.badColumns, err)
			}
			if _, err := Quantize(c.t, make([]float32, 2*c.badColumns), 2, c.badColumns, nil); !errors.Is(err, ErrShape) {
				t.Errorf("Quantize(%v) cols %d: %v, want ErrShape", c.t, c.badColumns, err)
			}
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("RowBytes(%v, %d) did not panic", c.t, c.badColumns)
					}
				}()
				RowBytes(c.t, c.badColumns)
			}()
		}
	}
	if Type(9).Valid() || Type(9).String() != "Type(9)" {
		t.Error("Type(9)")
	}
	if _, err := Quantize(Type(9), nil, 0, 0, nil); !errors.Is(err, ErrShape) {
		t.Error("unknown type accepted")
	}
	if _, err := Quantize(Q8, make([]float32, 64), 1, 32, nil); !errors.Is(err, ErrShape) {
		t.Error("length mismatch accepted")
	}
	if err := Dequantize(Q8, make([]byte, 33), 1, 32, make([]float32, 32)); !errors.Is(err, ErrShape) {
		t.Error("short Q8 row accepted")
	}
}

func roundTrip(t testing.TB, typ Type, w []float32, rows, cols int, imp []float32) ([]byte, []float32) {
	t.Helper()
	b, err := Quantize(typ, w, rows, cols, imp)
	if err != nil {
		t.Fatalf("Quantize %v: %v", typ, err)
	}
	if len(b) != rows*RowBytes(typ, cols) {
		t.Fatalf("%v: %d bytes, want %d", typ, len(b), rows*RowBytes(typ, cols))
	}
	y := make([]float32, len(w))
	if err := Dequantize(typ, b, rows, cols, y); err != nil {
		t.Fatalf("Dequantize %v: %v", typ, err)
	}
	return b, y
}

func relRMS(w, y []float32) float64 {
	var a errAcc
	a.add(w, y)
	return a.rel()
}

// TestRoundTrip checks every type on 16×2304 rows of each distribution:
// F32 exact; BF16 within half a bf16 ulp (2^-8 relative); Q8 within 1.5
// steps per weight (0.5 from rounding, up to 1 more where the sign-folded
// scale clips the opposite extreme) and the RMS bounds below; Q4 RMS bounds
// (measured 0.066/0.079/0.066 on the whole layer; 5% slack for the sample).
func TestRoundTrip(t *testing.T) {
	const rows, cols = 16, 2304
	q8Max := [3]float64{0.0052, 0.0072, 0.0078}
	q4Max := [3]float64{0.069, 0.083, 0.072}
	for d := range distNames {
		w := genMatrix(rand.New(rand.NewPCG(uint64(d), 3)), d, rows, cols, 1)
		_, y := roundTrip(t, F32, w, rows, cols, nil)
		for i := range w {
			if y[i] != w[i] {
				t.Fatalf("F32 %d: %v != %v", i, y[i], w[i])
			}
		}
		_, y = roundTrip(t, BF16, w, rows, cols, nil)
		for i := range w {
			if math.Abs(float64(y[i]-w[i])) > math.Abs(float64(w[i]))/256 {
				t.Fatalf("BF16 %d: %v -> %v", i, w[i], y[i])
			}
		}
		b, y := roundTrip(t, Q8, w, rows, cols, nil)
		for blk := 0; blk < len(w)/32; blk++ {
			dd := abs32(float16.Frombits(binary.LittleEndian.Uint16(b[blk*34:])).Float32())
			var amax float32
			for _, v := range w[blk*32 : blk*32+32] {
				amax = max(amax, abs32(v))
			}
			if dd > amax/127*1.001 {
				t.Fatalf("Q8 block %d: |d| %v > amax/127 %v", blk, dd, amax/127)
			}
			for i := blk * 32; i < blk*32+32; i++ {
				if e := abs32(y[i] - w[i]); e > 1.5*dd {
					t.Fatalf("Q8 %d: error %v > 1.5·|d| (%v)", i, e, dd)
				}
			}
		}
		if r := relRMS(w, y); r > q8Max[d] {
			t.Errorf("%s Q8 relative RMS %.5f > %.5f", distNames[d], r, q8Max[d])
		}
		_, y = roundTrip(t, Q4, w, rows, cols, nil)
		if r := relRMS(w, y); r > q4Max[d] {
			t.Errorf("%s Q4 relative RMS %.5f > %.5f", distNames[d], r, q4Max[d])
		}
	}
}

// naiveQ8Err is the max-abs Q8 baseline: d = fp16(amax/127), q = RNE(w/d).
func naiveQ8Err(x, h []float32) float64 {
	var amax float32
	for _, v := range x {
		amax = max(amax, abs32(v))
	}
	d := float16.Fromfloat32(amax / 127).Float32()
	var e float64
	for i, v := range x {
		q := float32(0)
		if d != 0 {
			q = float32(math.RoundToEven(float64(max(-127, min(127, v*(1/d))))))
		}
		r := float64(d*q - v)
		e += float64(h[i]) * r * r
	}
	return e
}

// naiveQ4Err is the min/max Q4 baseline with table k, computed in float64
// straight from the documented format: sub-block scale span/127 and min
// −min(x,0), super-scales bf16(max/63), codes rounded, nearest level.
func naiveQ4Err(x, h []float32, k int) float64 {
	var s, m [8]float64
	var ms, mm float64
	for j := 0; j < 8; j++ {
		mn, mx := float64(x[32*j]), float64(x[32*j])
		for _, v := range x[32*j : 32*j+32] {
			mn, mx = min(mn, float64(v)), max(mx, float64(v))
		}
		mn = min(mn, 0)
		s[j], m[j] = (mx-mn)/127, -mn
		ms, mm = max(ms, s[j]), max(mm, m[j])
	}
	d := float64(fromBF16(toBF16(float32(ms / 63))))
	dmin := float64(fromBF16(toBF16(float32(mm / 63))))
	var e float64
	for j := 0; j < 8; j++ {
		sc, mc := 0.0, 0.0
		if d > 0 {
			sc = min(63, math.Floor(s[j]/d+0.5))
		}
		if dmin > 0 {
			mc = min(63, math.Floor(m[j]/dmin+0.5))
		}
		S, M := d*sc, dmin*mc
		for i := 32 * j; i < 32*j+32; i++ {
			best := math.Inf(1)
			for _, l := range q4Levels[k] {
				r := S*float64(l) - M - float64(x[i])
				best = min(best, r*r)
			}
			e += float64(h[i]) * best
		}
	}
	return e
}

// f32Slack is how much float32 rounding can move a squared error sse over
// n weights of magnitude ≤ amax: the encoder compares candidates, and the
// decoder computes S·L − M, in float32, each value off by a few
// amax·2^-24 — which matters only for near-constant blocks far from zero
// (the encoder works on blocks normalised to max |x| in [1, 2)).
func f32Slack(sse float64, n int, h []float32, amax float32) float64 {
	var hmax float64
	for _, v := range h {
		hmax = max(hmax, float64(v))
	}
	d := 4 * float64(amax) * math.Ldexp(1, -24)
	return 2*math.Sqrt(sse*float64(n)*hmax)*d + float64(n)*hmax*d*d
}

func maxAbs(x []float32) (m float32) {
	for _, v := range x {
		m = max(m, abs32(v))
	}
	return m
}

func weightedErr(x, y, h []float32) float64 {
	var e float64
	for i := range x {
		r := float64(y[i]) - float64(x[i])
		e += float64(h[i]) * r * r
	}
	return e
}

// randomBlock draws n weights from one of several shapes, including ones
// the accuracy table does not cover (uniform, sparse, skewed, tiny, huge).
func randomBlock(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	scale := math.Exp(min(8, rng.NormFloat64()*4)) // ≤ 3000: far below Q8MaxAbs even with ×50 outliers
	kind := rng.IntN(7)
	for i := range x {
		var v float64
		switch kind {
		case 0, 1:
			v = rng.NormFloat64()
		case 2:
			v = rng.NormFloat64() / math.Sqrt(-0.5*math.Log(rng.Float64()*rng.Float64()))
		case 3:
			v = rng.Float64()*2 - 1
		case 4:
			if rng.IntN(8) == 0 {
				v = rng.NormFloat64()
			}
		case 5:
			v = math.Abs(rng.NormFloat64()) + 0.5
		case 6:
			v = rng.NormFloat64()
			if rng.IntN(64) == 0 {
				v *= 50
			}
		}
		x[i] = float32(v * scale)
	}
	return x
}

func randomImportance(rng *rand.Rand, n int) []float32 {
	if rng.IntN(2) == 0 {
		return ones[:n]
	}
	h := make([]float32, n)
	for i := range h {
		h[i] = float32(math.Exp(rng.NormFloat64()))
		if rng.IntN(16) == 0 {
			h[i] = 0
		}
	}
	return h
}

// TestSearchNeverWorse checks on 3000 random blocks of each type that the
// scale search never has a larger (importance-weighted) squared error than
// the max-abs baseline (Q8) or the min/max baseline with any table (Q4),
// and reports the mean gain.
func TestSearchNeverWorse(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	var gain8, gain4 float64
	const n = 3000
	for it := 0; it < n; it++ {
		x := randomBlock(rng, 256)
		h := randomImportance(rng, 256)
		_, y := roundTrip(t, Q8, x, 1, 256, h)
		var got, base float64
		for b := 0; b < 8; b++ {
			base += naiveQ8Err(x[32*b:32*b+32], h[32*b:32*b+32])
		}
		got = weightedErr(x, y, h)
		if got > base+f32Slack(base, 256, h, maxAbs(x)) {
			t.Fatalf("block %d: Q8 search error %g > max-abs %g", it, got, base)
		}
		if base > 0 {
			gain8 += got / base
		}
		_, y = roundTrip(t, Q4, x, 1, 256, h)
		got = weightedErr(x, y, h)
		base = math.Inf(1)
		for k := 0; k < 4; k++ {
			base = min(base, naiveQ4Err(x, h, k))
		}
		if got > base+f32Slack(base, 256, h, maxAbs(x)) {
			t.Fatalf("block %d: Q4 search error %g > min/max %g", it, got, base)
		}
		if base > 0 {
			gain4 += got / base
		}
	}
	t.Logf("mean squared error / baseline: Q8 %.3f, Q4 %.3f", gain8/n, gain4/n)
}

func TestImportance(t *testing.T) {
	const rows, cols = 8, 2304
	w := genMatrix(rand.New(rand.NewPCG(11, 1)), distTrained, rows, cols, 1)
	imp := make([]float32, cols)
	rng := rand.New(rand.NewPCG(12, 1))
	for i := range imp {
		imp[i] = float32(math.Exp(2 * rng.NormFloat64()))
	}
	hw := make([]float32, len(w))
	for r := 0; r < rows; r++ {
		copy(hw[r*cols:], imp)
	}
	for _, typ := range []Type{Q8, Q4} {
		_, plain := roundTrip(t, typ, w, rows, cols, nil)
		_, weighted := roundTrip(t, typ, w, rows, cols, imp)
		ep, ew := weightedErr(w, plain, hw), weightedErr(w, weighted, hw)
		t.Logf("%v: importance-weighted error without/with importance %.4g / %.4g", typ, ep, ew)
		if ew > ep {
			t.Errorf("%v: importance made the weighted error worse: %g > %g", typ, ew, ep)
		}
	}
	for _, bad := range [][]float32{make([]float32, cols-1), append(make([]float32, cols-1), -1), append(make([]float32, cols-1), float32(math.NaN()))} {
		if _, err := Quantize(Q4, w, rows, cols, bad); err == nil {
			t.Errorf("bad importance (len %d) accepted", len(bad))
		}
	}
	// QuantizeRow encodes like Quantize.
	for _, typ := range []Type{F32, BF16, Q8, Q4} {
		all, _ := Quantize(typ, w, rows, cols, imp)
		rb := RowBytes(typ, cols)
		row := make([]byte, rb)
		if err := QuantizeRow(typ, row, w[3*cols:4*cols], imp); err != nil || string(row) != string(all[3*rb:4*rb]) {
			t.Errorf("%v: QuantizeRow differs from Quantize (%v)", typ, err)
		}
		if err := QuantizeRow(typ, row[1:], w[3*cols:4*cols], imp); !errors.Is(err, ErrShape) {
			t.Errorf("%v: QuantizeRow into a short dst: %v", typ, err)
		}
	}
	// A sub-block of zero importance still gets a sensible encoding.
	zimp := append([]float32(nil), imp...)
	clear(zimp[:512])
	_, y := roundTrip(t, Q4, w[:cols], 1, cols, zimp)
	if r := relRMS(w[:512], y[:512]); r > 0.1 {
		t.Errorf("Q4 with zero importance: relative RMS %.3f on those columns", r)
	}
	// All-zero importance is uniform.
	b0, _ := Quantize(Q4, w[:cols], 1, cols, make([]float32, cols))
	b1, _ := Quantize(Q4, w[:cols], 1, cols, nil)
	if string(b0) != string(b1) {
		t.Error("zero importance differs from nil")
	}
}

func TestEdgeCases(t *testing.T) {
	const cols = 512
	fill := func(f func(i int) float32) []float32 {
		w := make([]float32, cols)
		for i := range w {
			w[i] = f(i)
		}
		return w
	}
	gauss := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		name string
		w    []float32
		tol  [2]float64 // max |ŵ−w| / max|w| for Q8, Q4
	}{
		{"zero", fill(func(int) float32 { return 0 }), [2]float64{0, 0}},
		{"const+", fill(func(int) float32 { return 0.37 }), [2]float64{1e-3, 5e-3}},
		{"const-", fill(func(int) float32 { return -1234.5 }), [2]float64{1e-3, 5e-3}},
		{"zero half", fill(func(i int) float32 {
			if i < 256 {
				return 0
			}
			return float32(gauss.NormFloat64())
		}), [2]float64{0.01, 0.15}},
		{"huge outlier", fill(func(i int) float32 {
			if i == 77 {
				return 1e6
			}
			if i == 300 {
				return -3e5
			}
			return float32(gauss.NormFloat64() * 0.01)
		}), [2]float64{0.01, 0.15}},
		{"tiny", fill(func(int) float32 { return float32(gauss.NormFloat64() * 1e-5) }), [2]float64{0.05, 0.15}},
		// Scales underflow: the decoded block may be all zeros, never worse.
		{"subnormal", fill(func(int) float32 { return float32(gauss.NormFloat64() * 1e-40) }), [2]float64{1, 1}},
		{"alternating", fill(func(i int) float32 { return float32(1 - 2*(i&1)) }), [2]float64{1e-3, 5e-3}},
	}
	for _, c := range cases {
		var amax float32
		for _, v := range c.w {
			amax = max(amax, abs32(v))
		}
		for k, typ := range []Type{Q8, Q4} {
			_, y := roundTrip(t, typ, c.w, 1, cols, nil)
			var worst float32
			for i := range y {
				if !finite(y[i]) {
					t.Fatalf("%s %v: non-finite output %v", c.name, typ, y[i])
				}
				worst = max(worst, abs32(y[i]-c.w[i]))
			}
			if float64(worst) > c.tol[k]*float64(amax) {
				t.Errorf("%s %v: max error %g > %g·%g", c.name, typ, worst, c.tol[k], amax)
			}
		}
	}
	// Q4 copes with the float32 range up to Q4MaxAbs; Q8's fp16 scale
	// stops at Q8MaxAbs.
	big := fill(func(i int) float32 { return float32(gauss.NormFloat64() * 1e37) })
	big[5] = Q4MaxAbs
	big[6] = -Q4MaxAbs
	_, y := roundTrip(t, Q4, big, 1, cols, nil)
	for i := range y {
		if !finite(y[i]) || abs32(y[i]-big[i]) > 0.05*Q4MaxAbs {
			t.Fatalf("Q4 huge %d: %g -> %g", i, big[i], y[i])
		}
	}
	big[6] = -Q4MaxAbs * 1.01
	if _, err := Quantize(Q4, big, 1, cols, nil); !errors.Is(err, ErrValue) {
		t.Errorf("Q4 above Q4MaxAbs: %v, want ErrValue", err)
	}
	if _, err := Quantize(Q8, big, 1, cols, nil); !errors.Is(err, ErrValue) {
		t.Errorf("Q8 of 1e37: %v, want ErrValue", err)
	}
	ok := fill(func(int) float32 { return 0 })
	ok[3] = -Q8MaxAbs
	if _, err := Quantize(Q8, ok, 1, cols, nil); err != nil {
		t.Errorf("Q8 at -Q8MaxAbs: %v", err)
	}
	ok[3] = Q8MaxAbs * 1.001
	if _, err := Quantize(Q8, ok, 1, cols, nil); !errors.Is(err, ErrValue) {
		t.Errorf("Q8 above Q8MaxAbs: %v", err)
	}
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
		for _, typ := range []Type{F32, BF16, Q8, Q4} {
			w := fill(func(int) float32 { return 1 })
			w[cols-1] = bad
			if _, err := Quantize(typ, w, 1, cols, nil); !errors.Is(err, ErrValue) {
				t.Errorf("%v of %v: %v, want ErrValue", typ, bad, err)
			}
			if err := QuantizeRow(typ, make([]byte, RowBytes(typ, cols)), w, nil); !errors.Is(err, ErrValue) {
				t.Errorf("QuantizeRow %v of %v: %v, want ErrValue", typ, bad, err)
			}
		}
	}
	// BF16 saturates instead of rounding to Inf.
	if v := fromBF16(toBF16(math.MaxFloat32)); !finite(v) || v < 3e38 {
		t.Errorf("bf16(MaxFloat32) = %v", v)
	}
}

// TestLayout decodes hand-made blocks by the documented byte layout.
func TestLayout(t *testing.T) {
	// Q8: d = -0.5 (fp16 0xb800), codes 0, 128, 255, then 128s.
	blk := make([]byte, 34)
	binary.LittleEndian.PutUint16(blk, 0xb800)
	for i := range 32 {
		blk[2+i] = 128
	}
	blk[2], blk[4] = 0, 255
	out := make([]float32, 32)
	DequantizeRow(Q8, blk, out)
	if out[0] != 64 || out[1] != 0 || out[2] != -63.5 || out[3] != 0 {
		t.Errorf("Q8 layout: %v", out[:4])
	}
	// Q4: d = 0.5 with table bit 0 set, dmin = 2 with table bit 1 set →
	// table 3. Sub-block 5: sc = 37 (0b10_0101), mc = 22 (0b01_0110).
	// Weight 5·32+7 = 167 has code 13 (sub-block 5 is the high nibble of
	// pair 2, byte 16+64+7).
	sb := make([]byte, 144)
	binary.LittleEndian.PutUint16(sb[0:], 0x3f00|0x8000)
	binary.LittleEndian.PutUint16(sb[2:], 0x4000|0x8000)
	sb[4+5] = 0b0110_0101
	binary.LittleEndian.PutUint32(sb[12:], 0b10<<(2*5)|0b01<<(16+2*5))
	sb[16+64+7] = 13 << 4
	out = make([]float32, 256)
	DequantizeRow(Q4, sb, out)
	want := float32(0.5*37)*float32(q4Levels[3][13]) - 2*22
	if out[167] != want || out[166] != -2*22 || out[0] != 0 {
		t.Errorf("Q4 layout: w[167] = %v want %v; w[166] = %v; w[0] = %v", out[167], want, out[166], out[0])
	}
	d, dmin, sel, sc, mc := q4Header(sb)
	if d != 0.5 || dmin != 2 || sel != 3 || sc[5] != 37 || mc[5] != 22 {
		t.Errorf("q4Header: %v %v %v %v %v", d, dmin, sel, sc, mc)
	}
	if q4Code(sb[16:], 167) != 13 {
		t.Error("q4Code")
	}
}

func TestQuantizeActivations(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	x := make([]float32, 32*64)
	for i := range x {
		x[i] = float32(rng.NormFloat64() * math.Exp(rng.NormFloat64()))
	}
	clear(x[64:96]) // one zero block
	q := make([]int8, len(x))
	sc := make([]float32, len(x)/32)
	sums := make([]int32, len(x)/32)
	QuantizeActivations(x, q, sc, sums)
	for b := range sc {
		var amax float32
		var s int32
		for i := b * 32; i < b*32+32; i++ {
			amax = max(amax, abs32(x[i]))
			s += int32(q[i])
			if q[i] == -128 {
				t.Fatalf("code -128 at %d", i)
			}
			if e := abs32(float32(q[i])*sc[b] - x[i]); e > sc[b]*0.5001 {
				t.Fatalf("activation %d: error %v > scale/2 %v", i, e, sc[b]/2)
			}
		}
		if sc[b] != amax/127 || s != sums[b] {
			t.Fatalf("block %d: scale %v (want %v) sum %d (want %d)", b, sc[b], amax/127, sums[b], s)
		}
	}
	if sc[2] != 0 || sums[2] != 0 {
		t.Error("zero block")
	}
	// Ties round to even: with maxabs 127 the codes are the values.
	tie := make([]float32, 32)
	copy(tie, []float32{127, 2.5, 3.5, -2.5, -0.5, 0.5, 1.5, -126.5})
	QuantizeActivations(tie, q[:32], sc[:1], sums[:1])
	if want := []int8{127, 2, 4, -2, 0, 0, 2, -126}; string(bytesOf(q[:8])) != string(bytesOf(want)) {
		t.Errorf("ties: %v, want %v", q[:8], want)
	}
}

func bytesOf(q []int8) []byte {
	b := make([]byte, len(q))
	for i, v := range q {
		b[i] = byte(v)
	}
	return b
}

func TestRNE(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	for i := 0; i < 1<<20; i++ {
		v := float32(rng.Float64()*260 - 130)
		if i&1 == 0 {
			v = float32(rng.IntN(260)-130) + 0.5
		}
		if got, want := rne(v), float32(math.RoundToEven(float64(v))); got != want {
			t.Fatalf("rne(%v) = %v, want %v", v, got, want)
		}
	}
}

// TestDot checks DotQ8/DotQ4 against the float dot of the dequantized
// weights and dequantized activations â = q·scale: they differ only by
// float32 rounding, bounded by 1e-5·Σ|ŵ·â|. Against the exact dot w·x the
// difference Σ(ŵ−w)x + Σŵ(â−x) is bounded by ‖ŵ−w‖‖x‖ + ‖ŵ‖‖â−x‖
// (Cauchy–Schwarz); the test checks that bound and logs how far below it
// the errors stay relative to ‖w‖‖x‖/√n (the size of a random dot).
func TestDot(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const cols = 2304
	var worst [2]float64
	defer func() { t.Logf("worst |dot − exact| / (‖w‖‖x‖/√n): Q8 %.4f, Q4 %.4f", worst[0], worst[1]) }()
	for it := 0; it < 40; it++ {
		d := it % 3
		w := genMatrix(rng, d, 1, cols, 1)
		x := genMatrix(rng, (d+1)%3, 1, cols, 1)
		if it%7 == 0 {
			for i := range x {
				x[i] = float32(math.Abs(float64(x[i]))) // all-positive activations (after GELU, say)
			}
		}
		q := make([]int8, cols)
		sc := make([]float32, cols/32)
		sums := make([]int32, cols/32)
		QuantizeActivations(x, q, sc, sums)
		xa := make([]float32, cols)
		for i := range xa {
			xa[i] = float32(q[i]) * sc[i/32]
		}
		var exact, nw, nx float64
		for i := range w {
			exact += float64(w[i]) * float64(x[i])
			nw += float64(w[i]) * float64(w[i])
			nx += float64(x[i]) * float64(x[i])
		}
		spread := math.Sqrt(nw * nx / cols)
		var dx2 float64
		for i := range x {
			dx2 += float64(xa[i]-x[i]) * float64(xa[i]-x[i])
		}
		for k, typ := range []Type{Q8, Q4} {
			row, y := roundTrip(t, typ, w, 1, cols, nil)
			var ref, mag, dw2, nyw float64
			for i := range y {
				ref += float64(y[i]) * float64(xa[i])
				mag += math.Abs(float64(y[i]) * float64(xa[i]))
				dw2 += float64(y[i]-w[i]) * float64(y[i]-w[i])
				nyw += float64(y[i]) * float64(y[i])
			}
			bound := math.Sqrt(dw2*nx) + math.Sqrt(nyw*dx2) + 1e-5*mag
			var got float32
			if typ == Q8 {
				got = DotQ8(row, q, sc, sums, cols)
			} else {
				got = DotQ4(row, q, sc, sums, cols)
			}
			if e := math.Abs(float64(got) - ref); e > 1e-5*mag {
				t.Fatalf("%v dot %d: %v vs dequantized %v (diff %g > %g)", typ, it, got, ref, e, 1e-5*mag)
			}
			e := math.Abs(float64(got) - exact)
			if e > bound {
				t.Errorf("%v dot %d: %v vs exact %v: diff %.3g > bound %.3g", typ, it, got, exact, e, bound)
			}
			worst[k] = max(worst[k], e/spread)
		}
	}
	if DotQ8(nil, nil, nil, nil, 0) != 0 || DotQ4(nil, nil, nil, nil, 0) != 0 {
		t.Error("empty dots")
	}
}

// FuzzQuantizeRoundTrip feeds arbitrary float32 bit patterns (one row of
// 256 weights, the input repeated to fill it) to every type: NaN/Inf and
// magnitudes over Q8MaxAbs (Q8) or Q4MaxAbs (Q4) must give ErrValue;
// anything else must decode to finite values, F32 bit-exact, Q8 within 1.5
// steps per weight, Q4 no worse than its min/max baseline.
func FuzzQuantizeRoundTrip(f *testing.F) {
	f.Add([]byte{0, 0, 128, 63}, uint8(2))
	f.Add([]byte{0, 0, 128, 127, 0, 0, 0, 0}, uint8(3))
	f.Add([]byte{1, 0, 0, 0, 255, 255, 127, 255}, uint8(3))
	f.Add([]byte{0, 0, 0, 0}, uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, typ uint8) {
		if len(data) < 4 {
			return
		}
		tp := []Type{F32, BF16, Q8, Q4}[typ%4]
		w := make([]float32, 256)
		n := len(data) / 4
		bad := false
		for i := range w {
			w[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*(i%n):]))
			bad = bad || !finite(w[i]) || (tp == Q8 && abs32(w[i]) > Q8MaxAbs) || (tp == Q4 && abs32(w[i]) > Q4MaxAbs)
		}
		b, err := Quantize(tp, w, 1, 256, nil)
		if bad {
			if !errors.Is(err, ErrValue) {
				t.Fatalf("%v: want ErrValue, got %v", tp, err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		y := make([]float32, 256)
		DequantizeRow(tp, b, y)
		for i := range y {
			if !finite(y[i]) {
				t.Fatalf("%v: non-finite %v from %v", tp, y[i], w[i])
			}
		}
		switch tp {
		case F32:
			for i := range y {
				if math.Float32bits(y[i]) != math.Float32bits(w[i]) {
					t.Fatalf("F32 %d", i)
				}
			}
		case Q8:
			for i := range y {
				dd := abs32(float16.Frombits(binary.LittleEndian.Uint16(b[i/32*34:])).Float32())
				var amax float32
				for _, v := range w[i/32*32 : i/32*32+32] {
					amax = max(amax, abs32(v))
				}
				// The smallest fp16 subnormal bounds the step from below.
				if e := abs32(y[i] - w[i]); e > 1.5*dd && float64(amax) > 128*math.Ldexp(1, -24) {
					t.Fatalf("Q8 %d: %v -> %v, step %v", i, w[i], y[i], dd)
				}
			}
		case Q4:
			got := weightedErr(w, y, ones[:])
			base := math.Inf(1)
			for k := 0; k < 4; k++ {
				base = min(base, naiveQ4Err(w, ones[:], k))
			}
			// Allow for bf16 subnormal super-scales below 1e-30 or so.
			amax := maxAbs(w)
			if got > base+f32Slack(base, 256, ones[:], amax) && amax > 1e-30 {
				t.Fatalf("Q4 error %g > baseline %g", got, base)
			}
		}
	})
}

// TestQuantizeActivationsTinyBlocks: a block whose largest magnitude is below
// ActMinMax quantizes to zero (127/amax would overflow and make NaN codes); one at
// ActMinMax scales normally.
func TestQuantizeActivationsTinyBlocks(t *testing.T) {
	q := make([]int8, 64)
	scales := make([]float32, 2)
	sums := make([]int32, 2)
	x := make([]float32, 64)
	for i := range x[:32] {
		x[i] = float32(i-16) * 1e-38 // max 1.6e-37 < 2^-120
	}
	for i := range x[32:] {
		x[32+i] = float32(i-16) / 16 * ActMinMax
	}
	QuantizeActivations(x, q, scales, sums)
	for i := 0; i < 32; i++ {
		if q[i] != 0 {
			t.Fatalf("tiny block code %d = %d", i, q[i])
		}
	}
	if scales[0] != 0 || sums[0] != 0 {
		t.Fatalf("tiny block scale %g sum %d", scales[0], sums[0])
	}
	if s := scales[1]; s <= 0 || s != s || q[32] != -127 {
		t.Fatalf("block at ActMinMax: scale %g, first code %d", s, q[32])
	}
}
