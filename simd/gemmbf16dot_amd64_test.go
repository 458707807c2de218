//go:build !purego

package simd

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// skipNoBF16Dot says SKIP, with the reason, where the VDPBF16PS prefill
// cannot run.
func skipNoBF16Dot(t *testing.T) {
	t.Helper()
	if !haveBF16Dot {
		t.Skipf("SKIP avx512bf16: this CPU has no AVX-512 BF16 (or no AVX-512F), so the VDPBF16PS prefill cannot run; GemmBF16 uses %s", Kernels())
	}
}

// checkDotBF16 is checkDot for the bf16-activation GEMM: each activation
// is rounded to bfloat16 (8 significant bits: relative error ≤ 2⁻⁸), the
// products summed in float32, and denormal inputs and partial sums
// (below 2⁻¹²⁶) flushed to zero, so
// |got − Σx·w| ≤ 2⁻⁸·Σ|x·w| + (k+2)·2⁻²⁴·(1+2⁻⁸)·Σ|x·w| + 2⁻¹²⁶·(Σ|x| + Σ|w| + 2k).
// Only finite references and activations below 2¹²⁸·(1−2⁻⁹) (which round
// to ±Inf) are checked here; the twin comparison covers the rest bit for bit.
func checkDotBF16(got float32, x, w []float32) string {
	ref, abs, _ := refDot(x, w)
	if math.IsNaN(ref) || math.IsInf(ref, 0) || abs > 1e37 {
		return ""
	}
	var sw float64
	for j := range w {
		if math.IsInf(float64(bf16(bf16RNE(x[j]))), 0) {
			return "" // |x| ≥ 2¹²⁸·(1−2⁻⁹) rounds to ±Inf
		}
		sw += math.Abs(float64(x[j])) + math.Abs(float64(w[j]))
	}
	k := float64(len(x))
	tol := 0x1p-8*abs + (k+2)*0x1p-24*(1+0x1p-8)*abs + 0x1p-126*(sw+2*k)
	if d := math.Abs(float64(got) - ref); !(d <= tol) {
		return fmt.Sprintf("got %v, want %v (|diff| %.3g > tol %.3g, Σ|x·w| %.3g)", got, ref, d, tol, abs)
	}
	return ""
}

// forBF16Tiles runs f with the VDPBF16PS tiles and, where the tile unit
// runs here, again with the AMX tile (gemmbf16amx_amd64.go), says SKIP
// (once) where it does not.
func forBF16Tiles(t *testing.T, f func(t *testing.T)) {
	defer func(u bool) { useBF16AMX = u }(useBF16AMX)
	for _, amx := range []bool{false, true} {
		t.Run(map[bool]string{false: "vdpbf16ps", true: "amx"}[amx], func(t *testing.T) {
			if amx && !haveBF16AMX {
				t.Skipf("SKIP amx bf16: this CPU or OS lacks AVX-512 BF16 and AMX-TILE/BF16 (or the tile state)")
			}
			useBF16AMX = amx
			f(t)
		})
	}
}

// bf16DotCase runs gemmBF16Dot on p and requires the Go model's bits, the
// float64 bound and untouched sentinels outside the output.
// (sameBits: a NaN's payload is not modelled.) Where the AMX tile runs
// (useBF16AMX, nx and nw ≥ 32) its additions are in the tile unit's order,
// not the model's: finite results must then meet the bound, and non-finite
// ones match the model's (the same infinity, or NaN).
func bf16DotCase(t *testing.T, p *problem) {
	t.Helper()
	buf, out := p.newOut()
	gemmBF16Dot(out, p.ldo, p.x, p.nx, p.w16, p.nw, p.k)
	want := make([]float32, len(out))
	gemmBF16DotModel(want, p.ldo, p.x, p.nx, p.w16, p.nw, p.k, min(blockKD, kcDLimit))
	amx := useBF16AMX && p.nx >= amxT && p.nw >= amxT
	finite := func(v float32) bool { return !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) }
	bad := 0
	for i := 0; i < p.nx; i++ {
		for r := 0; r < p.nw; r++ {
			g, e := out[i*p.ldo+r], want[i*p.ldo+r]
			msg := ""
			if amx && finite(g) && finite(e) {
				msg = checkDotBF16(g, p.x[i*p.k:(i+1)*p.k], p.wf[r*p.k:(r+1)*p.k])
			} else if !sameBits(g, e) && !(amx && (g == e || g != g && e != e)) {
				msg = fmt.Sprintf("%v (%#08x), the Go model %v (%#08x)", g, math.Float32bits(g), e, math.Float32bits(e))
			} else {
				msg = checkDotBF16(g, p.x[i*p.k:(i+1)*p.k], p.wf[r*p.k:(r+1)*p.k])
			}
			if msg != "" {
				if bad++; bad <= 3 {
					t.Errorf("nx=%d nw=%d k=%d ldo=%d blocks %d×%d: out[%d, %d]: %s", p.nx, p.nw, p.k, p.ldo, blockKD, blockTD, i, r, msg)
				}
			}
			out[i*p.ldo+r] = sentinel
		}
	}
	for i, v := range buf {
		if math.Float32bits(v) != math.Float32bits(sentinel) && bad < 3 {
			bad++
			t.Errorf("nx=%d nw=%d k=%d: wrote outside the output (buf[%d] = %v)", p.nx, p.nw, p.k, i-p.outOff, v)
		}
	}
}

func setBF16DotBlocking(kc, mc int) (restore func()) {
	okc, omc := blockKD, blockTD
	blockKD, blockTD = kc, mc
	return func() { blockKD, blockTD = okc, omc }
}

// TestGemmBF16DotTwin sweeps the shapes around the 24 × 16 tile, the pair
// count's 4-step loop and the k and token blocks (default, and shrunk to 8
// pairs × 24 tokens so that every boundary is crossed), with misaligned
// slices, ldo > nw and non-finite values in every fourth case.
func TestGemmBF16DotTwin(t *testing.T) {
	skipNoBF16Dot(t)
	forBF16Tiles(t, testGemmBF16DotTwin)
}

func testGemmBF16DotTwin(t *testing.T) {
	for _, bl := range [][3]int{{kcDLimit, mcDLimit, 0}, {8, 24, 0}, {11, 48, 0}, {kcDLimit, mcDLimit, 1}, {8, 24, 1}, {11, 48, 1}} {
		t.Run(fmt.Sprintf("blocks=%dx%d/wide=%d", bl[0], bl[1], bl[2]), func(t *testing.T) {
			defer setBF16DotBlocking(bl[0], bl[1])()
			defer func(w bool) { bf16DotWide = w }(bf16DotWide)
			bf16DotWide = bl[2] == 1
			rng := rand.New(rand.NewPCG(7, uint64(bl[0])))
			n := 0
			for _, k := range []int{16, 18, 20, 22, 30, 46, 64, 402, 420} {
				for _, nx := range []int{24, 25, 47, 48, 49, 73} {
					for _, nw := range []int{16, 17, 31, 32, 33, 50} {
						n++
						bf16DotCase(t, newProblem(rng, nx, nw, k, nw+rng.IntN(3), n%4 == 0))
						if t.Failed() {
							return
						}
					}
				}
			}
		})
	}
}

// TestGemmBF16DotLarge: prefill shapes of the real model (several k blocks
// and token blocks at the default blocking), against the model and the
// bound, and the exported GemmBF16 takes this path.
func TestGemmBF16DotLarge(t *testing.T) {
	skipNoBF16Dot(t)
	forBF16Tiles(t, testGemmBF16DotLarge)
}

func testGemmBF16DotLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for _, s := range [][3]int{{256, 64, 2304}, {400, 40, 1152}, {30, 16, 9216}, {385, 17, 386}} {
		p := newProblem(rng, s[0], s[1], s[2], s[1], false)
		bf16DotCase(t, p)
		_, o := p.newOut()
		if a := testing.AllocsPerRun(3, func() { gemmBF16Dot(o, p.ldo, p.x, p.nx, p.w16, p.nw, p.k) }); a != 0 {
			t.Errorf("gemmBF16Dot %v: %v allocs per call", s, a)
		}
		if !useBF16Dot {
			continue
		}
		got := make([]float32, p.nx*p.nw)
		want := make([]float32, p.nx*p.nw)
		GemmBF16(got, p.nw, p.x, p.nx, p.w16, p.nw, p.k)
		gemmBF16Dot(want, p.nw, p.x, p.nx, p.w16, p.nw, p.k)
		for i := range got {
			if !sameBits(got[i], want[i]) {
				t.Fatalf("GemmBF16 %v: out[%d] = %v, gemmBF16Dot %v", s, i, got[i], want[i])
			}
		}
	}
}

// TestGemmBF16DotShapes: GemmBF16 takes the VDPBF16PS path only for
// nx ≥ 24, nw ≥ 16 and even k ≥ 16; elsewhere it keeps float32 activations
// (within the float32 bound of checkDot).
func TestGemmBF16DotShapes(t *testing.T) {
	for _, s := range []struct {
		nx, nw, k int
		dot       bool
	}{{24, 16, 16, true}, {23, 16, 16, false}, {24, 15, 16, false}, {24, 16, 15, false}, {24, 16, 14, false}, {1, 64, 64, false}, {100, 64, 2305, false}} {
		if got := bf16DotOK(s.nx, s.nw, s.k); got != (s.dot && useBF16Dot) {
			t.Errorf("bf16DotOK(%d, %d, %d) = %v", s.nx, s.nw, s.k, got)
		}
		if s.dot {
			continue
		}
		p := newProblem(rand.New(rand.NewPCG(9, uint64(s.k))), s.nx, s.nw, s.k, s.nw, false)
		buf, out := p.newOut()
		GemmBF16(out, p.ldo, p.x, p.nx, p.w16, p.nw, p.k)
		p.verify(t, "GemmBF16", buf, p.wf)
	}
}

// TestCvtF32BF16 converts every length 0..70 of random bit patterns
// (NaN, ±Inf, denormals included) and requires bf16RNE's bits; bf16RNE
// itself agrees with the tests' toBF16 on normal values.
func TestCvtF32BF16(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	for i := 0; i < 100000; i++ {
		f := math.Float32frombits(rng.Uint32())
		if e := math.Float32bits(f) >> 23 & 0xff; e != 0 && e != 0xff && bf16RNE(f) != toBF16(f) {
			t.Fatalf("bf16RNE(%v) = %#04x, toBF16 %#04x", f, bf16RNE(f), toBF16(f))
		}
	}
	skipNoBF16Dot(t)
	for n := 0; n <= 70; n++ {
		src := make([]float32, n+1)
		for i := range src {
			switch rng.IntN(4) {
			case 0:
				src[i] = math.Float32frombits(rng.Uint32())
			case 1:
				src[i] = math.Float32frombits(rng.Uint32() & 0x807fffff) // denormal
			case 2:
				src[i] = math.Float32frombits(rng.Uint32()&0xffff8000 | 0x8000) // halfway cases
			default:
				src[i] = float32(rng.NormFloat64())
			}
		}
		dst := make([]uint16, n+2)
		dst[n], dst[n+1] = 0xdead, 0xdead
		if n > 0 {
			cvtF32BF16(&dst[0], &src[0], n)
		}
		for i := 0; i < n; i++ {
			if dst[i] != bf16RNE(src[i]) {
				t.Fatalf("n=%d: %v (%#08x) → %#04x, want %#04x", n, src[i], math.Float32bits(src[i]), dst[i], bf16RNE(src[i]))
			}
		}
		if dst[n] != 0xdead || dst[n+1] != 0xdead {
			t.Fatalf("n=%d: wrote past the end", n)
		}
	}
}

// TestBF16DotSelfCheck: the start-up check passes on the real kernel and,
// with a deliberately wrong one (one entry off, or a panic as from an
// illegal instruction), fails with a warning naming the kernel — and
// GemmBF16 then keeps the float32-activation path.
func TestBF16DotSelfCheck(t *testing.T) {
	skipNoBF16Dot(t)
	var warn bytes.Buffer
	if !bf16DotSelfCheck(&warn, gemmBF16Dot) || warn.Len() != 0 {
		t.Fatalf("the real kernel fails its self-check: %q", warn.String())
	}
	broken := map[string]func(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int){
		"one entry off": func(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int) {
			gemmBF16Dot(out, ldo, x, nx, w, nw, k)
			out[(nx-1)*ldo+nw-1] += 0.25
		},
		"panic": func(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int) {
			panic("illegal instruction (simulated)")
		},
	}
	for name, f := range broken {
		warn.Reset()
		if bf16DotSelfCheck(&warn, f) {
			t.Errorf("%s: the self-check passed", name)
		}
		if w := warn.String(); !strings.Contains(w, "avx512bf16 GEMM kernel failed its start-up self-check") {
			t.Errorf("%s: warning %q does not name the kernel", name, w)
		}
		t.Logf("%s: %s", name, strings.TrimSpace(warn.String()))
	}
	// With the kernel refused, GemmBF16 is the float32-activation GEMM.
	old := useBF16Dot
	useBF16Dot = false
	defer func() { useBF16Dot = old }()
	p := newProblem(rand.New(rand.NewPCG(11, 11)), 48, 32, 64, 32, false)
	buf, out := p.newOut()
	GemmBF16(out, p.ldo, p.x, p.nx, p.w16, p.nw, p.k)
	p.verify(t, "GemmBF16 without avx512bf16", buf, p.wf)
}

// TestEnvBF16Dot re-runs the test binary with PGEDGE_SIMD set: levels
// below avx512 (and generic) turn the VDPBF16PS prefill off; avx512vnni,
// amx and no setting keep it where the CPU has AVX-512 BF16, except on an
// Intel CPU where the AMX-BF16 tile does not run it (fPrefer: the child at
// avx512vnni has its integer kernels below amx); avx512bf16 forces it.
func TestEnvBF16Dot(t *testing.T) {
	if os.Getenv("PGEDGE_SIMD_BCHILD") != "" {
		fmt.Printf("kernels=%s bf16dot=%v\n", Kernels(), useBF16Dot)
		return
	}
	for _, env := range []string{"", "avx512vnni", "amx", "avx512bf16", "avxvnni", "avx2", "generic"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestEnvBF16Dot$")
		cmd.Env = append(os.Environ(), "PGEDGE_SIMD="+env, "PGEDGE_SIMD_BCHILD=1")
		b, err := cmd.Output()
		if err != nil {
			t.Skipf("cannot re-run the test binary (%v)", err)
		}
		// The child's AMX-BF16 tile runs only at the amx level (self-check assumed to
		// pass); without it an Intel CPU keeps its bf16 GEMM on avx512f (fPrefer).
		slow := cpuIntel && !(haveBF16AMX && (env == "" || env == "amx"))
		on := haveBF16Dot && (env == "avx512bf16" || !slow && (env == "" || env == "avx512vnni" || env == "amx"))
		want := fmt.Sprintf("bf16dot=%v\n", on)
		if !bytes.Contains(b, []byte(want)) || bytes.Contains(b, []byte("avx512bf16")) != on {
			t.Errorf("PGEDGE_SIMD=%q: the child printed %q, want %q", env, b, want)
		}
	}
	if !haveBF16Dot {
		t.Logf("SKIP avx512bf16 on: this CPU has no AVX-512 BF16; checked that it stays off")
	}
}

// TestBF16DotEncodingsLLVM disassembles every hand-encoded instruction of
// gemmbf16dot_amd64.s with llvm-mc and requires the comment's text.
func TestBF16DotEncodingsLLVM(t *testing.T) {
	checkEncodingsLLVM(t, "gemmbf16dot_amd64.s", "+avx512bf16", 100, "VDPBF16PS/VCVTNEPS2BF16")
}

// checkEncodingsLLVM has llvm-mc (with -mattr=mattr) disassemble every line
// of BYTEs in file and requires the text of the line's comment; file must
// hold at least min such lines.
func checkEncodingsLLVM(t *testing.T, file, mattr string, min int, what string) {
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var lines []encodedLine
	for i, line := range strings.Split(string(src), "\n") {
		if !strings.Contains(line, "BYTE $") {
			continue
		}
		m := reByteLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("%s line %d: BYTEs without a comment naming the instruction: %q", file, i+1, line)
		}
		lines = append(lines, encodedLine{i + 1, hexBytes(m[1]), strings.TrimSpace(m[2])})
	}
	if len(lines) < min {
		t.Fatalf("%s: only %d hand-encoded lines found", file, len(lines))
	}
	mc, err := exec.LookPath("llvm-mc")
	if err != nil {
		t.Skipf("SKIP %s encodings: llvm-mc not installed (apt-get install llvm), so the %d hand-encoded %s lines were not disassembled", file, len(lines), what)
	}
	var in strings.Builder
	for _, e := range lines {
		for _, b := range e.bytes {
			fmt.Fprintf(&in, "0x%02x ", b)
		}
		in.WriteString("\n")
	}
	cmd := exec.Command(mc, "--disassemble", "-triple=x86_64", "-mattr="+mattr)
	cmd.Stdin = strings.NewReader(in.String())
	outb, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("llvm-mc: %v\n%s", err, outb)
	}
	var dis []string
	space := regexp.MustCompile(`\s+`)
	for _, l := range strings.Split(string(outb), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, ".") {
			continue
		}
		dis = append(dis, space.ReplaceAllString(l, " "))
	}
	if len(dis) != len(lines) {
		t.Fatalf("llvm-mc decoded %d lines for %d instructions:\n%s", len(dis), len(lines), outb)
	}
	for i, d := range dis {
		if d != lines[i].comment {
			t.Errorf("%s line %d: llvm-mc reads % x as %q, the comment says %q", file, lines[i].line, lines[i].bytes, d, lines[i].comment)
		}
	}
	t.Logf("llvm-mc agrees on all %d hand-encoded instructions of %s", len(lines), file)
}

// FuzzGemmBF16Dot: raw float32 activations and bf16 weights (every NaN,
// Inf and denormal pattern), shapes around the tile; the kernel must give
// the Go model's bits.
func FuzzGemmBF16Dot(f *testing.F) {
	f.Add([]byte("seed values for the bf16 dot product tile, more than a few"), uint8(0), uint8(0), uint8(0))
	f.Add(bytes.Repeat([]byte{0x80, 0x00, 0x7f, 0xc0, 0x01, 0x00}, 40), uint8(5), uint8(17), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, nx, nw, k uint8) {
		if !haveBF16Dot {
			t.Skip("SKIP avx512bf16: no AVX-512 BF16 on this CPU")
		}
		p := &problem{nx: zfT + int(nx%30), nw: bigR + int(nw%20), k: 16 + 2*int(k%30)}
		p.ldo = p.nw
		p.x = make([]float32, p.nx*p.k)
		p.w16 = make([]uint16, p.nw*p.k)
		p.wf = make([]float32, p.nw*p.k)
		word := func(i int) uint32 {
			if len(data) < 4 {
				return uint32(i * 0x9e3779b9)
			}
			j := (4 * i) % (len(data) - 3)
			return binary.LittleEndian.Uint32(data[j:]) ^ uint32(i/len(data))
		}
		for i := range p.x {
			p.x[i] = math.Float32frombits(word(i))
		}
		for i := range p.w16 {
			p.w16[i] = uint16(word(i + len(p.x)))
			p.wf[i] = bf16(p.w16[i])
		}
		p.outLen = (p.nx-1)*p.ldo + p.nw
		bf16DotCase(t, p)
	})
}

// BenchmarkGemmBF16Dot: the 256×2304×2304 prefill of bfloat16 weights on
// the VDPBF16PS path (bf16dot), the AVX-512F float path it replaces (zmm)
// and the VDPBF16PS tile alone on one panel with its 24 tokens in L1.
func BenchmarkGemmBF16Dot(b *testing.B) {
	if !haveBF16Dot {
		b.Skip("SKIP avx512bf16: no AVX-512 BF16 on this CPU")
	}
	const nx, nw, k = 256, 2304, 2304
	x, _, w16, out := benchData(nx, nw, k)
	b.Run("bf16dot", func(b *testing.B) {
		for b.Loop() {
			gemmBF16Dot(out, nw, x, nx, w16, nw, k)
		}
		report(b, nx, nw, k, 2)
	})
	b.Run("bf16dot-12x32", func(b *testing.B) {
		defer func(w bool) { bf16DotWide = w }(bf16DotWide)
		bf16DotWide = true
		for b.Loop() {
			gemmBF16Dot(out, nw, x, nx, w16, nw, k)
		}
		report(b, nx, nw, k, 2)
	})
	b.Run("zmm", func(b *testing.B) {
		for b.Loop() {
			gemmBF16Zmm(out, nw, x, nx, w16, nw, k)
		}
		report(b, nx, nw, k, 2)
	})
	b.Run("tile", func(b *testing.B) {
		var panel [bigR * kcDLimit]uint32
		xb := make([]uint16, zfT*2*kcDLimit)
		for i := range panel {
			panel[i] = 0x3f803f80
		}
		for i := range xb {
			xb[i] = 0x3f80
		}
		var o [zfT * bigR]float32
		for b.Loop() {
			tileBF16Dot24x16(&panel[0], &xb[0], 2*kcDLimit, kcDLimit, &o[0], bigR, 0)
		}
		report(b, zfT, bigR, 2*kcDLimit, 2)
	})
	b.Run("tile12x32", func(b *testing.B) {
		p := make([]uint32, 2*bigR*kcDLimit)
		xb := make([]uint16, 12*2*kcDLimit)
		for i := range p {
			p[i] = 0x3f803f80
		}
		for i := range xb {
			xb[i] = 0x3f80
		}
		var o [12 * 32]float32
		for b.Loop() {
			tileBF16Dot12x32(&p[0], &xb[0], 2*kcDLimit, kcDLimit, &o[0], 32, 0)
		}
		report(b, 12, 32, 2*kcDLimit, 2)
	})
}

// TestTileBF16Dot12x32 runs the 12-token × 32-row tile on random pair
// panels for every pair count 1..13 (both loops and their ends), setting
// and adding, against fmaBF16 in the tile's order.
func TestTileBF16Dot12x32(t *testing.T) {
	skipNoBF16Dot(t)
	rng := rand.New(rand.NewPCG(12, 12))
	for kp := 1; kp <= 13; kp++ {
		ldx := 2*kp + 3
		x := make([]uint16, 12*ldx)
		for i := range x {
			x[i] = bf16RNE(float32(rng.NormFloat64()))
		}
		p := make([]uint32, 32*kp)
		for i := range p {
			p[i] = uint32(bf16RNE(float32(rng.NormFloat64()))) | uint32(bf16RNE(float32(rng.NormFloat64())))<<16
		}
		const ldo = 35
		for acc := 0; acc < 2; acc++ {
			out := make([]float32, 11*ldo+32)
			want := make([]float32, len(out))
			for i := range out {
				out[i] = float32(i % 7)
				want[i] = out[i]
			}
			tileBF16Dot12x32(&p[0], &x[0], ldx, kp, &out[0], ldo, acc)
			for i := 0; i < 12; i++ {
				for j := 0; j < 32; j++ {
					var s float32
					for q := 0; q < kp; q++ {
						d := p[(j/16)*16*kp+q*16+j%16]
						s = fmaBF16(s, x[i*ldx+2*q+1], uint16(d>>16))
						s = fmaBF16(s, x[i*ldx+2*q], uint16(d))
					}
					if acc != 0 {
						s += want[i*ldo+j]
					}
					want[i*ldo+j] = s
				}
			}
			for i := range out {
				if math.Float32bits(out[i]) != math.Float32bits(want[i]) {
					t.Fatalf("kp=%d acc=%d: out[%d] = %v, want %v", kp, acc, i, out[i], want[i])
				}
			}
		}
	}
}

// BenchmarkGemmBF16DotLayer times GemmBF16 as infer's prefill calls it: 257
// tokens through 9216×2304 bf16 matrices (4 of them, 170 MB, so the weights
// come from DRAM as in a real prefill), one call per panel of output rows,
// for panels of 64 and 256 rows and k blocks of 192 and 384 pairs, on one
// core; the float32 zmm path for comparison.
func BenchmarkGemmBF16DotLayer(b *testing.B) {
	if !haveBF16Dot {
		b.Skip("SKIP avx512bf16: no AVX-512 BF16 on this CPU")
	}
	const nx, nw, k, nm = 257, 9216, 2304, 4
	x, _, w16, _ := benchData(nx, 16, k)
	ws := make([][]uint16, nm)
	rng := rand.New(rand.NewPCG(3, 3))
	for m := range ws {
		ws[m] = make([]uint16, nw*k)
		for i := range ws[m] {
			ws[m][i] = w16[rng.IntN(len(w16))]
		}
	}
	out := make([]float32, nx*nw)
	run := func(b *testing.B, panel int, gemm func(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int)) {
		m := 0
		for b.Loop() {
			w := ws[m%nm]
			m++
			for r0 := 0; r0 < nw; r0 += panel {
				r1 := min(r0+panel, nw)
				gemm(out[r0:], nw, x, nx, w[r0*k:r1*k], r1-r0, k)
			}
		}
		report(b, nx, nw, k, 2)
	}
	for _, panel := range []int{64, 256} {
		for _, kc := range []int{192, 384} {
			b.Run(fmt.Sprintf("bf16dot/panel=%d/kc=%d", panel, kc), func(b *testing.B) {
				defer setBF16DotBlocking(kc, mcDLimit)()
				run(b, panel, gemmBF16Dot)
			})
		}
		b.Run(fmt.Sprintf("zmm/panel=%d", panel), func(b *testing.B) { run(b, panel, gemmBF16Zmm) })
	}
}
