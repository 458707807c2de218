package simd

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// toBF16 rounds to nearest even (NaN stays NaN).
func toBF16(f float32) uint16 {
	b := math.Float32bits(f)
	if f != f {
		return uint16(b>>16) | 0x40
	}
	return uint16((b + 0x7fff + (b>>16)&1) >> 16)
}

// problem is one test case: x (nx×k), w (nw×k) as float32 and as bfloat16
// (wf is the float32 value of w16, used for the bf16 reference), placed at
// small offsets inside larger buffers so that the slices are misaligned.
type problem struct {
	nx, nw, k, ldo int
	x, w, wf       []float32
	w16            []uint16
	outOff         int
	outLen         int
}

const sentinel = float32(-7777.25)

func newProblem(rng *rand.Rand, nx, nw, k, ldo int, nonFinite bool) *problem {
	p := &problem{nx: nx, nw: nw, k: k, ldo: ldo}
	offX, offW := rng.IntN(4), rng.IntN(4)
	p.x = make([]float32, offX+nx*k+3)[offX : offX+nx*k]
	p.w = make([]float32, offW+nw*k+3)[offW : offW+nw*k]
	p.w16 = make([]uint16, offW+nw*k+5)[offW : offW+nw*k]
	p.wf = make([]float32, nw*k)
	for i := range p.x {
		p.x[i] = float32(rng.NormFloat64())
	}
	for i := range p.w {
		p.w[i] = float32(rng.NormFloat64() * 0.5)
	}
	if nonFinite {
		special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))}
		for n := 0; n < 2 && len(p.x) > 0; n++ {
			p.x[rng.IntN(len(p.x))] = special[rng.IntN(3)]
		}
		for n := 0; n < 2 && len(p.w) > 0; n++ {
			p.w[rng.IntN(len(p.w))] = special[rng.IntN(3)]
		}
	}
	for i, v := range p.w {
		p.w16[i] = toBF16(v)
		p.wf[i] = bf16(p.w16[i])
	}
	p.outOff = rng.IntN(4)
	p.outLen = 0
	if nx > 0 && nw > 0 {
		p.outLen = (nx-1)*ldo + nw
	}
	return p
}

// newOut returns an output buffer: the entries to be written are NaN (so an
// implementation that adds to them instead of setting them fails), the gaps
// and guard entries hold a sentinel.
func (p *problem) newOut() (buf, out []float32) {
	buf = make([]float32, p.outOff+p.outLen+4)
	for i := range buf {
		buf[i] = sentinel
	}
	out = buf[p.outOff : p.outOff+p.outLen]
	for i := 0; i < p.nx; i++ {
		for r := 0; r < p.nw; r++ {
			out[i*p.ldo+r] = float32(math.NaN())
		}
	}
	return buf, out
}

// refDot is the float64 dot product of float32 data, Σ|x·w|, and Σ|x·w|
// over the finite products only.
func refDot(x, w []float32) (sum, abs, absFinite float64) {
	for j := range x {
		p := float64(x[j]) * float64(w[j])
		sum += p
		abs += math.Abs(p)
		if !math.IsInf(p, 0) && !math.IsNaN(p) {
			absFinite += math.Abs(p)
		}
	}
	return sum, abs, absFinite
}

// checkDot compares got with the float64 reference. A k-term float32 dot
// product in any summation order, with or without FMA, is within
// (k+1)·2⁻²⁴·Σ|x·w| of the exact value (Higham, Accuracy and Stability,
// §3.1); we allow (k+2)·2⁻²⁴·Σ|x·w|, plus 2k+2 halves of the smallest
// subnormal for underflow. NaN must stay NaN and ±Inf must match. When the
// finite products are large enough (Σ > 1e37) for float32 products or
// partial sums to overflow where float64 does not, only NaN is checked, and
// an infinite reference may also come out NaN (an overflow to the opposite
// infinity). It reports a description of the mismatch, or "".
func checkDot(got float32, x, w []float32) string {
	ref, abs, absFinite := refDot(x, w)
	overflow := absFinite > 1e37
	g := float64(got)
	switch {
	case math.IsNaN(ref):
		if !math.IsNaN(g) {
			return fmt.Sprintf("got %v, want NaN", got)
		}
		return ""
	case math.IsInf(ref, 0):
		if g != ref && !(overflow && math.IsNaN(g)) {
			return fmt.Sprintf("got %v, want %v", got, ref)
		}
		return ""
	case overflow:
		return ""
	}
	k := float64(len(x))
	tol := (k+2)*0x1p-24*abs + (2*k+2)*0x1p-150
	if d := math.Abs(g - ref); !(d <= tol) {
		return fmt.Sprintf("got %v, want %v (|diff| %.3g > tol %.3g, Σ|x·w| %.3g)", got, ref, d, tol, abs)
	}
	return ""
}

// verify checks every written entry against the reference and every other
// entry of buf for the sentinel.
func (p *problem) verify(t *testing.T, what string, buf []float32, wf []float32) {
	t.Helper()
	out := buf[p.outOff : p.outOff+p.outLen]
	bad := 0
	for i := 0; i < p.nx; i++ {
		for r := 0; r < p.nw; r++ {
			msg := checkDot(out[i*p.ldo+r], p.x[i*p.k:(i+1)*p.k], wf[r*p.k:(r+1)*p.k])
			if msg != "" {
				if bad++; bad <= 3 {
					t.Errorf("%s nx=%d nw=%d k=%d ldo=%d: out[%d, %d]: %s", what, p.nx, p.nw, p.k, p.ldo, i, r, msg)
				}
			}
			out[i*p.ldo+r] = sentinel
		}
	}
	for i, v := range buf {
		if math.Float32bits(v) != math.Float32bits(sentinel) {
			if bad++; bad <= 3 {
				t.Errorf("%s nx=%d nw=%d k=%d ldo=%d: wrote outside the output (buf[%d] = %v)", what, p.nx, p.nw, p.k, p.ldo, i-p.outOff, v)
			}
		}
	}
}

// run runs one implementation on p (float32 and bfloat16 weights) and
// compares with the reference. It returns the outputs for a twin comparison.
func (p *problem) run(t *testing.T, im impl) (f32, b16 []float32) {
	t.Helper()
	buf, out := p.newOut()
	im.gemmF32(out, p.ldo, p.x, p.nx, p.w, p.nw, p.k)
	f32 = append([]float32(nil), out...)
	p.verify(t, im.name+" GemmF32", buf, p.w)
	buf, out = p.newOut()
	im.gemmBF16(out, p.ldo, p.x, p.nx, p.w16, p.nw, p.k)
	b16 = append([]float32(nil), out...)
	p.verify(t, im.name+" GemmBF16", buf, p.wf)
	return f32, b16
}

// crossCheck runs every implementation on p; the generic twin and each
// assembly version must both be within tolerance of the float64 reference,
// hence within twice the tolerance of each other (checked implicitly), and
// agree on which entries are NaN / ±Inf.
func crossCheck(t *testing.T, p *problem) {
	t.Helper()
	ims := impls()
	g32, g16 := p.run(t, ims[0])
	for _, im := range ims[1:] {
		a32, a16 := p.run(t, im)
		for i := range a32 {
			if !sameClass(a32[i], g32[i]) || !sameClass(a16[i], g16[i]) {
				t.Errorf("%s vs generic nx=%d nw=%d k=%d: entry %d: %v/%v vs %v/%v", im.name, p.nx, p.nw, p.k, i, a32[i], a16[i], g32[i], g16[i])
				return
			}
		}
	}
}

func sameClass(a, b float32) bool {
	fa, fb := float64(a), float64(b)
	if math.IsNaN(fa) || math.IsNaN(fb) {
		return math.IsNaN(fa) == math.IsNaN(fb)
	}
	if math.IsInf(fa, 0) || math.IsInf(fb, 0) {
		return fa == fb
	}
	return true
}

// TestGemmEdges runs every implementation on all k = 0..67, nx, nw = 0..9,
// with misaligned slices, ldo > nw, and non-finite values in every fifth
// case; once with the default cache blocking and once with blocks shrunk to
// 16 values × 2 tiles so that every block boundary and edge tile is crossed.
func TestGemmEdges(t *testing.T) {
	t.Logf("active: %s; tested: %v", Kernels(), implNames())
	sweep(t, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
}

// TestGemmEdgesBig is TestGemmEdges for the shapes of the prefill path
// (amd64: nx ≥ 6, nw ≥ 16), around its tile sizes.
func TestGemmEdgesBig(t *testing.T) {
	sweep(t, []int{5, 6, 7, 12, 13}, []int{15, 16, 17, 32, 33})
}

func sweep(t *testing.T, nxs, nws []int) {
	for _, blocking := range []string{"default", "small"} {
		t.Run(blocking, func(t *testing.T) {
			if blocking == "small" {
				defer setBlocking(16, 2, 24)()
			}
			rng := rand.New(rand.NewPCG(1, uint64(len(blocking))))
			n := 0
			for k := 0; k <= 67; k++ {
				for _, nx := range nxs {
					for _, nw := range nws {
						n++
						ldo := nw + rng.IntN(3)
						p := newProblem(rng, nx, nw, k, ldo, n%5 == 0)
						crossCheck(t, p)
						if t.Failed() {
							return
						}
					}
				}
			}
		})
	}
}

// TestGemmLarge covers the shapes the edge sweep cannot reach with the
// default blocking: several k blocks (512), token blocks (96), GEMV k blocks
// (8192) and k values just past a block.
func TestGemmLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	for _, s := range [][3]int{
		{1, 37, 1031}, {2, 9, 8200}, {1, 5, 8207}, {3, 5, 520}, {4, 8, 519},
		{100, 13, 1100}, {97, 6, 517}, {200, 7, 1031}, {5, 64, 2304},
		{256, 64, 600}, {197, 40, 1031}, {12, 100, 2304}, {6, 16, 8},
	} {
		p := newProblem(rng, s[0], s[1], s[2], s[1]+1, false)
		crossCheck(t, p)
		p = newProblem(rng, s[0], s[1], s[2], s[1], true)
		crossCheck(t, p)
	}
}

func TestDotF32(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for n := 0; n <= 300; n++ {
		nonFinite := n%7 == 3
		p := newProblem(rng, 1, 1, n, 1, nonFinite)
		for _, im := range impls() {
			if msg := checkDot(im.dot(p.x, p.w), p.x, p.w); msg != "" {
				t.Errorf("%s DotF32 n=%d: %s", im.name, n, msg)
			}
		}
	}
	p := newProblem(rng, 1, 1, 3*dotChunkTest+13, 1, false)
	for _, im := range impls() {
		if msg := checkDot(im.dot(p.x, p.w), p.x, p.w); msg != "" {
			t.Errorf("%s DotF32 n=%d: %s", im.name, p.k, msg)
		}
	}
	if got := DotF32(nil, nil); got != 0 {
		t.Errorf("DotF32(nil, nil) = %v", got)
	}
}

// dotChunkTest exceeds the assembly's per-call chunk (65536).
const dotChunkTest = 1<<16 + 5

func implNames() []string {
	var s []string
	for _, im := range impls() {
		s = append(s, im.name)
	}
	return s
}

// TestExported checks the exported functions (dispatch and validation).
func TestExported(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	p := newProblem(rng, 7, 11, 45, 13, false)
	buf, out := p.newOut()
	GemmF32(out, p.ldo, p.x, p.nx, p.w, p.nw, p.k)
	p.verify(t, "GemmF32", buf, p.w)
	buf, out = p.newOut()
	GemmBF16(out, p.ldo, p.x, p.nx, p.w16, p.nw, p.k)
	p.verify(t, "GemmBF16", buf, p.wf)
	if msg := checkDot(DotF32(p.x[:45], p.w[:45]), p.x[:45], p.w[:45]); msg != "" {
		t.Error("DotF32:", msg)
	}
	// Zero sizes touch nothing, whatever the slices.
	GemmF32(nil, 0, nil, 0, nil, 5, 3)
	GemmF32(nil, 0, nil, 5, nil, 0, 3)
	GemmBF16(nil, 0, nil, 0, nil, 0, 0)

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
	x := make([]float32, 100)
	w := make([]float32, 100)
	w16 := make([]uint16, 100)
	mustPanic("short x", func() { GemmF32(o, 10, x, 11, w, 10, 10) })
	mustPanic("short w", func() { GemmF32(o, 10, x, 10, w, 11, 10) })
	mustPanic("short w16", func() { GemmBF16(o, 10, x, 10, w16, 11, 10) })
	mustPanic("short out", func() { GemmF32(o, 11, x, 10, w, 10, 10) })
	mustPanic("ldo < nw", func() { GemmF32(o, 3, x, 2, w, 4, 10) })
	mustPanic("negative", func() { GemmF32(o, 3, x, -1, w, 4, 10) })
	mustPanic("overflow", func() { GemmF32(o, 1, x, math.MaxInt/2, w, 1, 4) })
	mustPanic("dot lengths", func() { DotF32(x, w[:3]) })
	// nx = 1 needs no ldo ≥ nw.
	GemmF32(o[:4], 0, x, 1, w, 4, 10)
}

func TestNoAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, s := range [][3]int{{1, 9, 37}, {2, 9, 37}, {7, 11, 45}, {100, 8, 600}, {12, 32, 600}, {3, 20, 9000}} {
		p := newProblem(rng, s[0], s[1], s[2], s[1], false)
		_, out := p.newOut()
		for _, im := range impls() {
			if a := testing.AllocsPerRun(5, func() { im.gemmF32(out, p.ldo, p.x, p.nx, p.w, p.nw, p.k) }); a != 0 {
				t.Errorf("%s gemmF32 %v: %v allocs per call", im.name, s, a)
			}
			if a := testing.AllocsPerRun(5, func() { im.gemmBF16(out, p.ldo, p.x, p.nx, p.w16, p.nw, p.k) }); a != 0 {
				t.Errorf("%s gemmBF16 %v: %v allocs per call", im.name, s, a)
			}
			if a := testing.AllocsPerRun(5, func() { im.dot(p.x, p.x) }); a != 0 {
				t.Errorf("%s dot: %v allocs per call", im.name, a)
			}
		}
		if a := testing.AllocsPerRun(5, func() { GemmF32(out, p.ldo, p.x, p.nx, p.w, p.nw, p.k) }); a != 0 {
			t.Errorf("GemmF32 %v: %v allocs per call", s, a)
		}
	}
	// A stack buffer passed in must stay on the stack (//go:noescape).
	var x, w [64]float32
	var o [16]float32
	if a := testing.AllocsPerRun(5, func() { GemmF32(o[:], 4, x[:], 4, w[:], 4, 16) }); a != 0 {
		t.Errorf("GemmF32 with stack buffers: %v allocs per call", a)
	}
}

// TestEnvGeneric re-runs the test binary with PGEDGE_SIMD=generic and checks
// that it reports the generic kernels.
func TestEnvGeneric(t *testing.T) {
	if os.Getenv("PGEDGE_SIMD_CHILD") != "" {
		fmt.Printf("kernels=%s\n", Kernels())
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestEnvGeneric$")
	cmd.Env = append(os.Environ(), "PGEDGE_SIMD=generic", "PGEDGE_SIMD_CHILD=1")
	b, err := cmd.Output()
	if err != nil {
		t.Skipf("cannot re-run the test binary (%v); e.g. under qemu without binfmt", err)
	}
	if !strings.Contains(string(b), "kernels=generic\n") {
		t.Errorf("with PGEDGE_SIMD=generic the child printed %q", b)
	}
}

// fuzzProblem decodes sizes and values from fuzz input: values are raw
// float32 (or bf16) bit patterns, so every NaN, Inf, subnormal and huge
// value occurs.
func fuzzProblem(data []byte, nx, nw, k, ldoExtra uint8) *problem {
	p := &problem{nx: int(nx % 30), nw: int(nw % 40), k: int(k % 80)} // nw ≥ 16, nx ≥ 6: the big path (nx ≥ 24: zmm)
	p.ldo = p.nw + int(ldoExtra%3)
	p.x = make([]float32, p.nx*p.k)
	p.w = make([]float32, p.nw*p.k)
	p.w16 = make([]uint16, p.nw*p.k)
	p.wf = make([]float32, p.nw*p.k)
	if len(data) < 4 {
		data = append(data, 0x3f, 0x80, 0, 0)
	}
	pos := 0
	next := func() uint32 {
		var b [4]byte
		for i := range b {
			b[i] = data[pos%len(data)]
			pos++
		}
		return binary.LittleEndian.Uint32(b[:])
	}
	for i := range p.x {
		p.x[i] = math.Float32frombits(next())
	}
	for i := range p.w {
		v := next()
		p.w[i] = math.Float32frombits(v)
		p.w16[i] = uint16(v >> 16)
		p.wf[i] = bf16(p.w16[i])
	}
	if p.nx > 0 && p.nw > 0 {
		p.outLen = (p.nx-1)*p.ldo + p.nw
	}
	p.outOff = int(ldoExtra) % 4
	return p
}

func fuzzSeeds(f *testing.F) {
	f.Add([]byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0}, uint8(3), uint8(4), uint8(9), uint8(0))
	f.Add([]byte{0, 0, 0xc0, 0x7f, 0, 0, 0x80, 0x7f, 1, 2, 3, 4}, uint8(5), uint8(7), uint8(17), uint8(1))
	f.Add([]byte{0x12, 0x34, 0x56, 0x3e, 0x9a, 0xbc, 0xde, 0xbf}, uint8(1), uint8(9), uint8(67), uint8(2))
	f.Add([]byte{0x12, 0x34, 0x56, 0x3e, 0x9a, 0xbc, 0xde, 0xbf, 0, 0, 0x80, 0xff}, uint8(13), uint8(33), uint8(23), uint8(1))
	f.Add([]byte{0x12, 0x34, 0x56, 0x3e, 0x9a, 0xbc, 0xde, 0xbf, 0, 0, 0x80, 0xff}, uint8(25), uint8(17), uint8(37), uint8(2))
}

func FuzzGemmF32(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, nx, nw, k, ldoExtra uint8) {
		p := fuzzProblem(data, nx, nw, k, ldoExtra)
		for _, im := range impls() {
			buf, out := p.newOut()
			im.gemmF32(out, p.ldo, p.x, p.nx, p.w, p.nw, p.k)
			p.verify(t, im.name+" GemmF32", buf, p.w)
		}
	})
}

func FuzzGemmBF16(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, nx, nw, k, ldoExtra uint8) {
		p := fuzzProblem(data, nx, nw, k, ldoExtra)
		for _, im := range impls() {
			buf, out := p.newOut()
			im.gemmBF16(out, p.ldo, p.x, p.nx, p.w16, p.nw, p.k)
			p.verify(t, im.name+" GemmBF16", buf, p.wf)
		}
	})
}
