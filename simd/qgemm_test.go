package simd

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/pgedge/pgedge/quant"
)

// qImpl is one integer implementation level, for the tests and benchmarks.
type qImpl struct {
	name  string
	level int
}

// qImpls lists the implementations this machine can run, generic first.
// Levels the CPU lacks are not listed: qSkipped names them, and
// forEachQLevel reports them as skipped subtests.
func qImpls() []qImpl {
	var l []qImpl
	for lv, li := range qLevels {
		if li.have {
			l = append(l, qImpl{li.name, lv})
		}
	}
	return l
}

// qSkipped returns one "SKIP <level>: <reason>" line per level of this
// architecture that the CPU cannot run.
func qSkipped() []string {
	var s []string
	for _, li := range qLevels {
		if !li.have {
			s = append(s, fmt.Sprintf("SKIP %s: this CPU lacks %s, so its kernels are not tested here", li.name, li.need))
		}
	}
	return s
}

// logQLevels logs which levels a test covers and, loudly, which it cannot.
func logQLevels(t testing.TB) {
	t.Helper()
	t.Logf("active: %s; tested: %v", IntKernels(), qImplNames())
	for _, s := range qSkipped() {
		t.Log(s)
	}
}

// forEachQLevel runs f once per level of this architecture as a subtest
// named after the level, with that level active for every kernel kind;
// levels the CPU lacks are skipped subtests saying "SKIP <level>: <reason>".
func forEachQLevel(t *testing.T, f func(t *testing.T, im qImpl)) {
	for lv, li := range qLevels {
		t.Run(li.name, func(t *testing.T) {
			if !li.have {
				t.Skipf("SKIP %s: this CPU lacks %s", li.name, li.need)
			}
			im := qImpl{li.name, lv}
			defer im.use()()
			f(t, im)
		})
	}
}

// use makes im the active implementation of every kernel kind until the
// returned function is called.
func (im qImpl) use() (restore func()) {
	old := qUseLevel(im.level)
	return func() { qSel = old }
}

// qProblem is one GemmQ8/GemmQ4 test case, with every slice placed at a
// small offset inside a larger buffer so that it is misaligned.
type qProblem struct {
	typ            quant.Type
	nx, nw, k, ldo int
	q              []int8
	scales         []float32
	sums           []int32
	w              []byte
	outOff, outLen int
	// batch runs GemmQ8Batch/GemmQ4Batch, checked with their bound (see
	// qgemv_rows.go) instead of GemmQ8's.
	batch bool
	// panels runs GemmQ8Panels/GemmQ4Panels on a copy of w packed by
	// PackQ8Panels/PackQ4Panels (GemmQ8's/GemmQ4's bound).
	panels bool
}

const qSentinel = float32(-7777.25)

func (p *qProblem) rb() int { return quant.RowBytes(p.typ, p.k) }

// alloc sizes the slices of p, misaligned by random offsets.
func (p *qProblem) alloc(rng *rand.Rand) {
	nb := p.nx * p.k / 32
	o := func() int { return rng.IntN(4) }
	a, b, c, d := o(), o(), o(), o()
	p.q = make([]int8, a+p.nx*p.k+5)[a : a+p.nx*p.k]
	p.scales = make([]float32, b+nb+3)[b : b+nb]
	p.sums = make([]int32, c+nb+3)[c : c+nb]
	p.w = make([]byte, d+p.nw*p.rb()+7)[d : d+p.nw*p.rb()]
	p.outOff = o()
	if p.nx > 0 && p.nw > 0 {
		p.outLen = (p.nx-1)*p.ldo + p.nw
	}
}

// Activation kinds.
const (
	actRandom   = iota // QuantizeActs of Gaussian floats
	actSaturate        // q = ±127 only, random signs
	actMax             // q = +127 (or −127) everywhere
	actZeroBlk         // random, with some all-zero blocks
	actExact           // q random, scales 1: with exact weights every sum is exact
)

// Weight kinds.
const (
	wRandom  = iota // random codes and scales
	wExtreme        // Q8 codes 0 and 255 only (−128, +127); Q4 all codes 15 / 0
	wZeroBlk        // random, with some all-zero blocks (scale 0, or codes 128)
	wQuant          // quant.Quantize of Gaussian weights
	wExact          // scales ±1 (Q8) or d = dmin = 1 with small sub-scales (Q4)
)

func newQProblem(rng *rand.Rand, typ quant.Type, nx, nw, k, ldo, act, wk int) *qProblem {
	p := &qProblem{typ: typ, nx: nx, nw: nw, k: k, ldo: ldo}
	p.alloc(rng)
	p.fillActs(rng, act)
	p.fillWeights(rng, wk)
	return p
}

func (p *qProblem) fillActs(rng *rand.Rand, kind int) {
	nb := p.nx * p.k / 32
	switch kind {
	case actRandom, actZeroBlk:
		x := make([]float32, p.nx*p.k)
		for i := range x {
			x[i] = float32(rng.NormFloat64()) * float32(math.Exp(rng.NormFloat64()))
		}
		if kind == actZeroBlk {
			for b := 0; b < nb; b++ {
				if rng.IntN(3) == 0 {
					clear(x[b*32 : b*32+32])
				}
			}
		}
		quant.QuantizeActivations(x, p.q, p.scales, p.sums)
		return
	}
	for i := range p.q {
		switch kind {
		case actSaturate:
			p.q[i] = int8(127 - 254*rng.IntN(2))
		case actMax:
			p.q[i] = 127
			if p.nx > 1 && i/p.k == 1 {
				p.q[i] = -127
			}
		case actExact:
			p.q[i] = int8(rng.IntN(255) - 127)
			if p.typ == quant.Q4 && p.k > 256 {
				p.q[i] /= 2
			}
		}
	}
	for b := 0; b < nb; b++ {
		var s int32
		for _, v := range p.q[b*32 : b*32+32] {
			s += int32(v)
		}
		p.sums[b] = s
		p.scales[b] = 1
		if kind != actExact {
			p.scales[b] = float32(math.Exp(rng.NormFloat64()))
		}
	}
}

// bf16Bits rounds a positive float32 to bfloat16 bits.
func bf16Bits(v float32) uint16 {
	b := math.Float32bits(v)
	return uint16((b + 0x7fff + (b>>16)&1) >> 16)
}

func (p *qProblem) fillWeights(rng *rand.Rand, kind int) {
	rb := p.rb()
	if kind == wQuant {
		wf := make([]float32, p.nw*p.k)
		for i := range wf {
			wf[i] = float32(rng.NormFloat64() * 0.02)
		}
		b, err := quant.Quantize(p.typ, wf, p.nw, p.k, nil)
		if err != nil {
			panic(err)
		}
		copy(p.w, b)
		return
	}
	for i := range p.w {
		p.w[i] = byte(rng.Uint32())
	}
	for r := 0; r < p.nw; r++ {
		row := p.w[r*rb : (r+1)*rb]
		if p.typ == quant.Q8 {
			for b := 0; b < p.k/32; b++ {
				blk := row[b*34 : b*34+34]
				d := float32(rng.NormFloat64() * 0.01)
				switch kind {
				case wExtreme:
					for i := range blk[2:] {
						blk[2+i] = byte(255 * rng.IntN(2))
					}
				case wZeroBlk:
					switch rng.IntN(4) {
					case 0:
						d = 0
					case 1:
						for i := range blk[2:] {
							blk[2+i] = 128
						}
					}
				case wExact:
					d = float32(1 - 2*rng.IntN(2))
				}
				binary.LittleEndian.PutUint16(blk, f16Bits(d))
			}
			continue
		}
		for b := 0; b < p.k/256; b++ {
			blk := row[b*144 : b*144+144]
			d, dmin := float32(math.Exp(rng.NormFloat64())*1e-4), float32(math.Exp(rng.NormFloat64())*1e-3)
			switch kind {
			case wExtreme:
				v := byte(0xff * rng.IntN(2))
				for i := range blk[16:] {
					blk[16+i] = v
				}
				for j := 4; j < 16; j++ {
					blk[j] = 0xff // sub-scales and mins 63
				}
			case wZeroBlk:
				if rng.IntN(3) == 0 {
					d, dmin = 0, 0
				}
				if rng.IntN(3) == 0 {
					clear(blk[16:])
				}
			case wExact:
				d, dmin = 1, 1
				for j := 4; j < 12; j++ {
					blk[j] &= 0x33 // sub-scales and mins ≤ 3
				}
				clear(blk[12:16])
			}
			D, M := bf16Bits(d), bf16Bits(dmin)
			D |= uint16(rng.IntN(2)) << 15 // table selector
			M |= uint16(rng.IntN(2)) << 15
			binary.LittleEndian.PutUint16(blk, D)
			binary.LittleEndian.PutUint16(blk[2:], M)
		}
	}
}

// f16Bits rounds a float32 to IEEE binary16 bits (no overflow handling:
// the tests use small values).
func f16Bits(v float32) uint16 {
	b := math.Float32bits(v)
	sign := uint16(b>>16) & 0x8000
	a := absf(v)
	if a < 0x1p-14 { // subnormal: multiples of 2⁻²⁴
		return sign | uint16(rne(a*0x1p24))
	}
	e := int(b>>23&0xff) - 127
	m := b & 0x7fffff
	h := uint32(e+15)<<10 | m>>13
	rem := m & 0x1fff
	if rem > 0x1000 || rem == 0x1000 && h&1 == 1 {
		h++
	}
	return sign | uint16(h)
}

// newOut returns an output buffer: the entries to be written are NaN (so an
// implementation that adds to them instead of setting them fails), the gaps
// and guard entries hold a qSentinel.
func (p *qProblem) newOut() (buf, out []float32) {
	buf = make([]float32, p.outOff+p.outLen+4)
	for i := range buf {
		buf[i] = qSentinel
	}
	out = buf[p.outOff : p.outOff+p.outLen]
	for i := 0; i < p.nx; i++ {
		for r := 0; r < p.nw; r++ {
			out[i*p.ldo+r] = float32(math.NaN())
		}
	}
	return buf, out
}

// ref returns quant's dot product of row r and token i, and the error bound
// of the package comment: (k/32 + 4)·2⁻²³·Σ|T_b| + subnormal slack.
func (p *qProblem) ref(i, r int) (want float32, tol float64) {
	rb, nb := p.rb(), p.k/32
	row := p.w[r*rb : (r+1)*rb]
	q, s, m := p.q[i*p.k:(i+1)*p.k], p.scales[i*nb:(i+1)*nb], p.sums[i*nb:(i+1)*nb]
	var abs float64
	if p.batch {
		return p.refBatch(i, r)
	}
	if p.typ == quant.Q8 {
		want = quant.DotQ8(row, q, s, m, p.k)
		for b := 0; b < nb; b++ {
			var I int64
			for l := 0; l < 32; l++ {
				I += int64(int(row[b*34+2+l])-128) * int64(q[b*32+l])
			}
			abs += math.Abs(float64(f16(binary.LittleEndian.Uint16(row[b*34:]))) * float64(s[b]) * float64(I))
		}
	} else {
		want = quant.DotQ4(row, q, s, m, p.k)
		var h q4Head
		for sb := 0; sb < p.k/256; sb++ {
			blk := row[sb*144:]
			decodeQ4Head(blk, &h)
			for j := 0; j < 8; j++ {
				b := sb*8 + j
				var I int64
				for l := 0; l < 32; l++ {
					c := blk[16+(j/2)*32+l] >> (4 * (j & 1)) & 15
					I += int64(h.lv[c]) * int64(q[b*32+l])
				}
				abs += math.Abs(float64(s[b])) * (math.Abs(float64(h.S[j])*float64(I)) + math.Abs(float64(h.M[j])*float64(m[b])))
			}
		}
	}
	return want, float64(nb+4)*0x1p-23*abs + float64(4*nb)*0x1p-149
}

// run runs the active implementation on p and checks every written entry
// against quant and every other entry of buf for the qSentinel. It returns
// the outputs.
func (p *qProblem) run(t *testing.T, what string) []float32 {
	t.Helper()
	buf, out := p.newOut()
	switch {
	case p.panels:
		pw := append([]byte(nil), p.w...)
		var qp QPanels
		qp.Prepare(p.q, p.scales, p.sums, p.nx, p.k)
		if p.typ == quant.Q4 {
			PackQ4Panels(pw, p.nw, p.k)
			GemmQ4Panels(out, p.ldo, &qp, pw, p.nw)
		} else {
			PackQ8Panels(pw, p.nw, p.k)
			GemmQ8Panels(out, p.ldo, &qp, pw, p.nw)
		}
	case p.batch && p.typ == quant.Q8:
		var b QBatch
		b.Prepare(p.typ, p.q, p.scales, p.sums, p.nx, p.k)
		GemmQ8Batch(out, p.ldo, &b, p.w, p.nw)
	case p.batch:
		var b QBatch
		b.Prepare(p.typ, p.q, p.scales, p.sums, p.nx, p.k)
		GemmQ4Batch(out, p.ldo, &b, p.w, p.nw)
	case p.typ == quant.Q8:
		GemmQ8(out, p.ldo, p.q, p.scales, p.sums, p.nx, p.w, p.nw, p.k)
	default:
		GemmQ4(out, p.ldo, p.q, p.scales, p.sums, p.nx, p.w, p.nw, p.k)
	}
	bad := 0
	fail := func(format string, a ...any) {
		if bad++; bad <= 3 {
			t.Errorf("%s %v nx=%d nw=%d k=%d ldo=%d: %s", what, p.typ, p.nx, p.nw, p.k, p.ldo, fmt.Sprintf(format, a...))
		}
	}
	res := append([]float32(nil), out...)
	for i := 0; i < p.nx; i++ {
		for r := 0; r < p.nw; r++ {
			got := out[i*p.ldo+r]
			want, tol := p.ref(i, r)
			if d := math.Abs(float64(got) - float64(want)); !(d <= tol) {
				fail("out[%d, %d] = %v, quant says %v (|diff| %.3g > tol %.3g)", i, r, got, want, d, tol)
			}
			out[i*p.ldo+r] = qSentinel
		}
	}
	for i, v := range buf {
		if math.Float32bits(v) != math.Float32bits(qSentinel) {
			fail("wrote outside the output (buf[%d] = %v)", i-p.outOff, v)
		}
	}
	return res
}

// crossCheck runs every implementation on p: each must be within the bound
// of quant and within twice the bound of the generic twin, the generic twin
// must equal quant exactly on amd64, and with exact data (act == actExact
// and w == wExact) every implementation must be exact.
func (p *qProblem) crossCheck(t *testing.T, exact bool) {
	t.Helper()
	var gen []float32
	for _, im := range qImpls() {
		restore := im.use()
		res := p.run(t, im.name)
		restore()
		if im.level == 0 {
			gen = res
		}
		if t.Failed() {
			return
		}
		for i := 0; i < p.nx; i++ {
			for r := 0; r < p.nw; r++ {
				want, tol := p.ref(i, r)
				got := res[i*p.ldo+r]
				if (exact || im.level == 0 && qExactGeneric && !p.batch && !p.panels) && got != want {
					t.Errorf("%s %v nx=%d nw=%d k=%d: out[%d, %d] = %v, want exactly %v", im.name, p.typ, p.nx, p.nw, p.k, i, r, got, want)
					return
				}
				if g := gen[i*p.ldo+r]; !(math.Abs(float64(got)-float64(g)) <= 2*tol) {
					t.Errorf("%s %v nx=%d nw=%d k=%d: out[%d, %d] = %v, generic %v (tol %.3g)", im.name, p.typ, p.nx, p.nw, p.k, i, r, got, g, 2*tol)
					return
				}
			}
		}
	}
}

// qExactGeneric: the generic twin is bit-identical to quant where the
// compiler does not fuse multiply-adds.
var qExactGeneric = runtime.GOARCH == "amd64"

// TestQGemmEdges runs every implementation on every k = 32..320 (Q8) or
// 256, 512, 768 (Q4), nx, nw = 0..9, with misaligned slices and ldo ≥ nw,
// once with the default cache blocking and once with blocks shrunk so that
// every block boundary is crossed, cycling through the activation and
// weight kinds.
func TestQGemmEdges(t *testing.T) {
	logQLevels(t)
	for _, blocking := range []string{"default", "small"} {
		t.Run(blocking, func(t *testing.T) {
			if blocking == "small" {
				defer setQBlocking(256, 8)()
			}
			rng := rand.New(rand.NewPCG(11, uint64(len(blocking))))
			n := 0
			for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
				ks := []int{32, 64, 96, 128, 160, 192, 224, 256, 288, 320}
				if typ == quant.Q4 {
					ks = []int{256, 512, 768}
				}
				for _, k := range ks {
					for nx := 0; nx <= 9; nx++ {
						for nw := 0; nw <= 9; nw++ {
							n++
							act, wk := n%5, (n/5)%5
							if wk == wQuant && typ == quant.Q4 && n%3 != 0 {
								wk = wRandom // Q4 quantization is slow
							}
							p := newQProblem(rng, typ, nx, nw, k, nw+rng.IntN(3), act, wk)
							p.crossCheck(t, act == actExact && wk == wExact && (typ == quant.Q8 || k <= 512))
							if t.Failed() {
								return
							}
						}
					}
				}
			}
		})
	}
}

// TestQGemmLarge covers shapes past the default blocking and the tile
// sizes, with random and quantized data.
func TestQGemmLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	for _, s := range [][3]int{
		{1, 37, 2304}, {2, 19, 4608}, {3, 9, 9216}, {1, 130, 256}, {4, 31, 2304},
		{5, 17, 4352}, {17, 33, 2304}, {70, 9, 1024}, {67, 41, 2560}, {150, 20, 768},
		{8, 64, 2304}, {200, 11, 512},
	} {
		for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
			p := newQProblem(rng, typ, s[0], s[1], s[2], s[1]+rng.IntN(2), actRandom, wRandom)
			p.crossCheck(t, false)
			p = newQProblem(rng, typ, s[0], s[1], s[2], s[1], actSaturate, wExtreme)
			p.crossCheck(t, false)
			if t.Failed() {
				return
			}
		}
	}
}

// TestQGemmExact checks that the integer parts are exact: with scales ±1,
// d = dmin = 1 and small sub-scales, every partial sum is an integer below
// 2²⁴, so every summation order gives quant's result exactly.
func TestQGemmExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
		ks := []int{32, 96, 256, 320}
		if typ == quant.Q4 {
			ks = []int{256, 512}
		}
		for _, k := range ks {
			for _, s := range [][2]int{{1, 9}, {3, 5}, {4, 8}, {9, 17}, {13, 3}} {
				for _, wk := range []int{wExact} {
					p := newQProblem(rng, typ, s[0], s[1], k, s[1], actExact, wk)
					p.crossCheck(t, true)
					// Saturating activations with extreme exact weights.
					p = newQProblem(rng, typ, s[0], s[1], k, s[1], actExact, wk)
					v := 127
					if typ == quant.Q4 && k > 256 {
						v = 63
					}
					for i := range p.q {
						p.q[i] = int8(v - 2*v*rng.IntN(2))
					}
					p.fillActsSums()
					p.crossCheck(t, true)
				}
			}
		}
	}
}

func (p *qProblem) fillActsSums() {
	for b := range p.sums {
		var s int32
		for _, v := range p.q[b*32 : b*32+32] {
			s += int32(v)
		}
		p.sums[b] = s
	}
}

func qImplNames() []string {
	var s []string
	for _, im := range qImpls() {
		s = append(s, im.name)
	}
	return s
}

// TestQuantizeActs compares every implementation with
// quant.QuantizeActivations bit for bit, on random, tiny, huge, subnormal
// and non-finite values.
func TestQuantizeActs(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 14))
	for n := 0; n <= 40*32; n += 32 {
		for kind := 0; kind < 6; kind++ {
			x := make([]float32, n)
			for i := range x {
				switch kind {
				case 0:
					x[i] = float32(rng.NormFloat64())
				case 1: // wide dynamic range, ties (x·inv exactly .5)
					x[i] = float32(rng.IntN(255)-127) / 2 * float32(math.Ldexp(1, rng.IntN(60)-30))
				case 2: // tiny and subnormal: 127/maxabs overflows
					x[i] = math.Float32frombits(rng.Uint32() & 0x81ffffff)
				case 3: // huge
					x[i] = math.Float32frombits(rng.Uint32()&0x80ffffff | 0x7e000000)
				case 4: // any bit pattern, NaN and ±Inf included
					x[i] = math.Float32frombits(rng.Uint32())
					if rng.IntN(5) != 0 {
						x[i] = float32(rng.NormFloat64())
					}
				case 5: // blocks of zeros and of one value
					if (i/32)%2 == 0 {
						x[i] = 0
					} else {
						x[i] = -3
					}
				}
			}
			checkQuantizeActs(t, x)
		}
	}
}

func checkQuantizeActs(t *testing.T, x []float32) {
	t.Helper()
	n, nb := len(x), len(x)/32
	wq, ws, wm := make([]int8, n), make([]float32, nb), make([]int32, nb)
	quant.QuantizeActivations(x, wq, ws, wm)
	for _, im := range qImpls() {
		restore := im.use()
		// Misaligned outputs, with guards.
		q, s, m := make([]int8, n+3)[1:n+1], make([]float32, nb+2)[1:nb+1], make([]int32, nb+2)[1:nb+1]
		QuantizeActs(x, q, s, m)
		restore()
		for b := 0; b < nb; b++ {
			same := math.Float32bits(s[b]) == math.Float32bits(ws[b]) || s[b] != s[b] && ws[b] != ws[b]
			if !same || m[b] != wm[b] || string(i8b(q[b*32:b*32+32])) != string(i8b(wq[b*32:b*32+32])) {
				t.Fatalf("%s QuantizeActs block %d of %d: x = %v\ngot  q=%v scale=%v sum=%v\nwant q=%v scale=%v sum=%v",
					im.name, b, nb, x[b*32:b*32+32], q[b*32:b*32+32], s[b], m[b], wq[b*32:b*32+32], ws[b], wm[b])
			}
		}
	}
}

func i8b(q []int8) []byte {
	b := make([]byte, len(q))
	for i, v := range q {
		b[i] = byte(v)
	}
	return b
}

func TestStreamRead(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 15))
	buf := make([]byte, 3<<20+100)
	for i := range buf {
		buf[i] = byte(rng.Uint32())
	}
	for _, n := range []int{0, 1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 4095, 1 << 20, 3<<20 + 97} {
		for off := 0; off < 3; off++ {
			b := buf[off : off+n]
			want := streamReadGeneric(b)
			var ref uint64
			for i := 0; i+8 <= n; i += 8 {
				ref += binary.LittleEndian.Uint64(b[i:])
			}
			for i := n / 8 * 8; i < n; i++ {
				ref += uint64(b[i])
			}
			if want != ref {
				t.Fatalf("generic StreamRead(%d) = %d, want %d", n, want, ref)
			}
			for _, im := range qImpls() {
				restore := im.use()
				got := StreamRead(b)
				restore()
				if got != want {
					t.Errorf("%s StreamRead(len %d, off %d) = %d, want %d", im.name, n, off, got, want)
				}
			}
		}
	}
}

func TestPeakGops(t *testing.T) {
	for _, im := range qImpls() {
		restore := im.use()
		g := PeakGops(2 * time.Millisecond)
		restore()
		t.Logf("%s: %.1f Gops", im.name, g)
		if !(g > 0) || math.IsInf(g, 0) {
			t.Errorf("%s PeakGops = %v", im.name, g)
		}
	}
}

// TestQExported checks the validation of the exported functions.
func TestQExported(t *testing.T) {
	mustPanic := func(name string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s did not panic", name)
			}
		}()
		f()
	}
	o := make([]float32, 100)
	q := make([]int8, 1024)
	s := make([]float32, 32)
	m := make([]int32, 32)
	w := make([]byte, 4*144)
	mustPanic("k % 32", func() { GemmQ8(o, 1, q, s, m, 1, w, 1, 48) })
	mustPanic("k % 256", func() { GemmQ4(o, 1, q, s, m, 1, w, 1, 128) })
	mustPanic("short q", func() { GemmQ8(o, 1, q, s, m, 3, w, 1, 512) })
	mustPanic("short scales", func() { GemmQ8(o, 1, q, s[:15], m, 2, w, 1, 256) })
	mustPanic("short sums", func() { GemmQ4(o, 1, q, s, m[:7], 1, w, 1, 256) })
	mustPanic("short w", func() { GemmQ4(o, 1, q, s, m, 1, w, 5, 256) })
	mustPanic("short out", func() { GemmQ8(o[:3], 1, q, s, m, 1, w, 4, 32) })
	mustPanic("ldo < nw", func() { GemmQ8(o, 2, q, s, m, 2, w, 3, 32) })
	mustPanic("negative", func() { GemmQ8(o, 1, q, s, m, -1, w, 3, 32) })
	mustPanic("acts len", func() { QuantizeActs(make([]float32, 33), q, s, m) })
	mustPanic("acts short", func() { QuantizeActs(make([]float32, 64), q[:63], s, m) })
	// Zero sizes touch nothing; k = 0 writes zeros.
	GemmQ8(nil, 0, nil, nil, nil, 0, nil, 5, 32)
	GemmQ4(nil, 0, nil, nil, nil, 3, nil, 0, 256)
	for i := range o {
		o[i] = 7
	}
	GemmQ8(o, 5, nil, nil, nil, 2, nil, 3, 0)
	if o[0] != 0 || o[2] != 0 || o[3] != 7 || o[5] != 0 || o[7] != 0 || o[8] != 7 {
		t.Errorf("k = 0 wrote %v", o[:9])
	}
	QuantizeActs(nil, nil, nil, nil)
}

func TestQNoAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 16))
	for _, s := range [][3]int{{1, 9, 256}, {2, 9, 512}, {7, 11, 768}, {100, 8, 2304}, {12, 32, 2560}, {3, 20, 9216}} {
		for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
			p := newQProblem(rng, typ, s[0], s[1], s[2], s[1], actRandom, wRandom)
			_, out := p.newOut()
			x := make([]float32, p.k)
			var qb QBatch
			for _, im := range qImpls() {
				restore := im.use()
				if a := testing.AllocsPerRun(5, func() {
					qb.Prepare(typ, p.q, p.scales, p.sums, p.nx, p.k)
					if typ == quant.Q8 {
						GemmQ8(out, p.ldo, p.q, p.scales, p.sums, p.nx, p.w, p.nw, p.k)
						GemmQ8Batch(out, p.ldo, &qb, p.w, p.nw)
					} else {
						GemmQ4(out, p.ldo, p.q, p.scales, p.sums, p.nx, p.w, p.nw, p.k)
						GemmQ4Batch(out, p.ldo, &qb, p.w, p.nw)
					}
					QuantizeActs(x, p.q, p.scales, p.sums)
					StreamRead(p.w)
				}); a != 0 {
					t.Errorf("%s %v %v: %v allocs per call", im.name, typ, s, a)
				}
				restore()
			}
		}
	}
	// Stack buffers passed in must stay on the stack (//go:noescape).
	var q [512]int8
	var sc [16]float32
	var sm [16]int32
	var w [4 * 2 * 144]byte
	var o [8]float32
	var x [256]float32
	if a := testing.AllocsPerRun(5, func() {
		QuantizeActs(x[:], q[:256], sc[:8], sm[:8])
		GemmQ8(o[:], 4, q[:], sc[:], sm[:], 2, w[:], 4, 256)
		GemmQ4(o[:], 4, q[:], sc[:], sm[:], 2, w[:], 4, 256)
		GemmQ8(o[:], 4, q[:], sc[:], sm[:], 1, w[:], 4, 256)
	}); a != 0 {
		t.Errorf("with stack buffers: %v allocs per call", a)
	}
}

func absf(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }

// rne rounds t (|t| ≤ 2^22) to an integer, ties to even.
func rne(t float32) float32 {
	const magic = 3 << 22
	return float32(float32(t+magic) - magic)
}
