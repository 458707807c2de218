package simd

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/pgedge/pgedge/quant"
)

// Dispatch of the integer kernels. Each architecture lists its levels in
// qLevels (level 0 is always the generic Go code; amd64: generic, avx2,
// avxvnni, avx512vnni, amx; arm64: generic, neon, neon-sdot, neon-i8mm), each
// with whether this CPU can run it. Once, at start-up, every kernel kind
// (activation quantizer, Q8 and Q4 GEMV and GEMM, peak probe) gets the
// best level the CPU has (or the one PGEDGE_SIMD names), and each assembly
// kernel so chosen is first run on a small fixed input against its Go twin
// (qSelfCheck, ~0.1 ms in all): a kernel that disagrees is not used — the
// next lower level is tried — and a warning names it on stderr. So a
// kernel that could not be run where it was written never gives a wrong
// answer, only a slower one.

// qLevelImpl is one level of integer kernels.
type qLevelImpl struct {
	name string
	have bool   // this CPU can run it
	need string // what it needs, for messages
	// gemvMax: GemmQ8/GemmQ4 with fewer tokens than this use the GEMV
	// kernels (the extend path), others the prefill kernels.
	gemvMax      int
	quant        func(x []float32, q []int8, scales []float32, sums []int32)
	gemv8, gemm8 qGemmFunc
	gemv4, gemm4 qGemmFunc
	// rows8, rows4: the few-row kernels of GemmQ8Batch/GemmQ4Batch (nil:
	// the level has none, and GemmQ8Batch is GemmQ8), used for 2 ≤ nx ≤
	// rowsMax tokens; rowsStream: the width (64: zmm, 32: ymm) of the steps
	// of the QBatch group streams they read, 0 if none.
	rows8, rows4 qRowsFunc
	rowsMax      int
	rowsStream   int
	rows4Min     int // rows4 only from this many tokens (0: from 2)
	// panels8: GemmQ8Panels' kernels (nil: the generic level's Go twin);
	// panelsActs: they read QPanels' grouped activations.
	panels8    qPanelsFunc
	panels4    qPanelsFunc // GemmQ4Panels' kernels (nil: the Go twin)
	panelsActs bool
	// panelsAMX: panels8 reads QPanels' per-16-token scales (ts, tc) from
	// amxMinTokens tokens on (amd64's amx level).
	panelsAMX  bool
	panelsPack func(panel, rows []byte, nb int) // PackQ8Panels' transpose (nil: Go)
	peak       func() int64                     // one call of the peak loop: multiply-adds done
}

type qGemmFunc func(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int)

type qPanelsFunc func(out []float32, ldo int, p *QPanels, w []byte, nw int)

// The kernel kinds that are chosen (and self-checked) separately.
const (
	qkQuant = iota
	qkGemv8
	qkGemm8
	qkGemv4
	qkGemm4
	qkRows8
	qkRows4
	qkPanels8
	qkPanels4
	qkPeak
	qkCount
)

var qKindNames = [qkCount]string{"quantize", "q8-gemv", "q8-gemm", "q4-gemv", "q4-gemm", "q8-rows", "q4-rows", "q8-panels", "q4-panels", "peak"}

// qGenericLevel is level 0 of every architecture.
func qGenericLevel() qLevelImpl {
	return qLevelImpl{
		name: "generic", have: true, gemvMax: 4,
		quant: quantizeActsGeneric,
		gemv8: gemmQ8Generic, gemm8: gemmQ8Generic,
		gemv4: gemmQ4Generic, gemm4: gemmQ4Generic,
		rows8: rowsQ8Go, rows4: rowsQ4Go, rowsMax: qRowsMaxGeneric,
		panels8: gemmQ8PanelsGo, panels4: gemmQ4PanelsGo,
		peak: peakGeneric,
	}
}

// qSel holds the level of each kernel kind; qLevel is the level asked for
// (PGEDGE_SIMD or the best the CPU has), which qSel follows unless a
// kernel failed its self-check.
var (
	qLevel = qStartLevel(os.Getenv("PGEDGE_SIMD"), os.Stderr)
	qSel   = qSelect(qLevel, os.Stderr)
)

// qBest returns the highest level this CPU can run.
func qBest() int {
	for lv := len(qLevels) - 1; lv > 0; lv-- {
		if qLevels[lv].have {
			return lv
		}
	}
	return 0
}

// qStartLevel interprets PGEDGE_SIMD: empty means the best level; a level
// this CPU lacks falls back, with a warning, to the best level below it; a
// float level's name (dispatch_float.go) caps the integer kernels at the same
// registers without a warning (avx2-fma: the best ymm level; avx512f: the
// best); an unknown name is warned about and ignored.
func qStartLevel(env string, warn io.Writer) int {
	env = strings.TrimSpace(strings.ToLower(env))
	if env == "" {
		return qBest()
	}
	for top, l := range qLevels {
		if l.name != qFromFloatLevel[env] {
			continue
		}
		for ; top > 0 && !qLevels[top].have; top-- {
		}
		return top
	}
	for lv, l := range qLevels {
		if l.name != env {
			continue
		}
		if l.have {
			return lv
		}
		for lv--; lv > 0 && !qLevels[lv].have; lv-- {
		}
		fmt.Fprintf(warn, "pgedge: warning: PGEDGE_SIMD=%s: this CPU lacks %s; using %s\n", env, l.need, qLevels[lv].name)
		return lv
	}
	var names []string
	for _, l := range qLevels {
		names = append(names, l.name)
	}
	fmt.Fprintf(warn, "pgedge: warning: PGEDGE_SIMD=%s is not one of %s on %s; using %s\n", env, strings.Join(names, ", "), qArch, qLevels[qBest()].name)
	return qBest()
}

// qFromFloatLevel maps the float-only level names to the highest integer
// level of the same registers.
var qFromFloatLevel = map[string]string{"avx2-fma": "avxvnni", "avx512f": "avx512vnni", "avx512bf16": "avx512vnni"}

// qSelect gives each kernel kind the highest level ≤ lv that the CPU has
// and whose kernel passes its self-check.
func qSelect(lv int, warn io.Writer) (sel [qkCount]int) {
	for kind := range sel {
		l := lv
		for ; l > 0; l-- {
			if !qLevels[l].have {
				continue
			}
			if err := qSelfCheck(kind, l); err != nil {
				fmt.Fprintf(warn, "pgedge: warning: the %s %s kernel failed its start-up self-check (%v); not using it\n", qLevels[l].name, qKindNames[kind], err)
				continue
			}
			break
		}
		sel[kind] = l
	}
	return sel
}

// qUseLevel makes every kind use level lv (the tests and benchmarks run
// each level this way, self-check or not) and returns the previous
// selection.
func qUseLevel(lv int) (old [qkCount]int) {
	old = qSel
	for i := range qSel {
		qSel[i] = lv
	}
	return old
}

// IntKernels names the integer kernels in use: one level name (e.g.
// "avx512vnni", "avx2", "neon-sdot", "generic") when every kernel uses the
// same level, else "kind=level" pairs.
func IntKernels() string {
	same := true
	for _, l := range qSel {
		same = same && l == qSel[0]
	}
	if same {
		return qLevels[qSel[0]].name
	}
	var s []string
	for kind, l := range qSel {
		s = append(s, qKindNames[kind]+"="+qLevels[l].name)
	}
	return strings.Join(s, " ")
}

// IntKernelLevels lists the integer kernel kinds and the level each uses,
// for pgedge info.
func IntKernelLevels() map[string]string {
	m := map[string]string{}
	for kind, l := range qSel {
		m[qKindNames[kind]] = qLevels[l].name
	}
	return m
}

// IntLevels lists this architecture's integer kernel levels, best last, and
// whether this CPU can run each.
func IntLevels() (names []string, have []bool) {
	for _, l := range qLevels {
		names = append(names, l.name)
		have = append(have, l.have)
	}
	return
}

// The self-check's fixed input: 9 tokens (two 8-token tiles on AVX-512,
// three 4-token ones elsewhere, and the edge) × 17 rows (one edge row past
// 16) × k = 512, with values chosen so that every product and every partial
// sum is exact in float32 (small integers times powers of two): the
// assembly must then match the Go twin bit for bit in any summation order.
const (
	qckNX = 9
	qckNW = 17
	qckK  = 512
)

type qCheckData struct {
	x          []float32
	q          []int8
	scales     []float32
	sums       []int32
	w8, w4     []byte
	want8      []float32 // generic results, nx = qckNX
	want4      []float32
	wantQ      []int8 // generic QuantizeActs of x
	wantS      []float32
	wantM      []int32
	wantsReady bool
}

var qck qCheckData

func qCheckInput() *qCheckData {
	c := &qck
	if c.wantsReady {
		return c
	}
	const nb = qckK / 32
	seed := uint32(12345)
	rnd := func(n int) int { // xorshift: deterministic, no package state
		seed ^= seed << 13
		seed ^= seed >> 17
		seed ^= seed << 5
		return int(seed % uint32(n))
	}
	c.q = make([]int8, qckNX*qckK)
	c.scales = make([]float32, qckNX*nb)
	c.sums = make([]int32, qckNX*nb)
	for i := range c.q {
		c.q[i] = int8(rnd(5) - 2) // |a| ≤ 2
	}
	for b := range c.scales {
		c.scales[b] = []float32{0.5, 1, 2}[rnd(3)]
		var s int32
		for _, v := range c.q[b*32 : b*32+32] {
			s += int32(v)
		}
		c.sums[b] = s
	}
	// Q8: codes 128 ± 15 (and a few extremes), d ∈ {±0.5, ±1, ±2}.
	rb8 := nb * 34
	c.w8 = make([]byte, qckNW*rb8)
	for r := 0; r < qckNW; r++ {
		for b := 0; b < nb; b++ {
			blk := c.w8[r*rb8+b*34:]
			binary.LittleEndian.PutUint16(blk, []uint16{0x3800, 0x3c00, 0x4000, 0xb800, 0xbc00, 0xc000}[rnd(6)])
			for i := 2; i < 34; i++ {
				blk[i] = byte(128 + rnd(31) - 15)
				if rnd(40) == 0 {
					blk[i] = byte(255 * rnd(2))
				}
			}
		}
	}
	// Q4: random codes, d, dmin ∈ {0.5, 1, 2} (bf16) with random table
	// selectors, sub-scales and mins ≤ 3.
	rb4 := qckK / 256 * 144
	c.w4 = make([]byte, qckNW*rb4)
	for r := 0; r < qckNW; r++ {
		for sb := 0; sb < qckK/256; sb++ {
			blk := c.w4[r*rb4+sb*144:]
			for i := range blk[:144] {
				blk[i] = byte(rnd(256))
			}
			for j := 4; j < 12; j++ {
				blk[j] &= 0x33
			}
			for j := 12; j < 16; j++ {
				blk[j] = 0
			}
			binary.LittleEndian.PutUint16(blk, []uint16{0x3f00, 0x3f80, 0x4000}[rnd(3)]|uint16(rnd(2))<<15)
			binary.LittleEndian.PutUint16(blk[2:], []uint16{0x3f00, 0x3f80, 0x4000}[rnd(3)]|uint16(rnd(2))<<15)
		}
	}
	// QuantizeActs: values with ties, zeros and a zero block.
	c.x = make([]float32, 4*32)
	for i := range c.x {
		c.x[i] = float32(rnd(2001)-1000) / 64
		if i/32 == 2 {
			c.x[i] = 0
		}
	}
	c.want8 = make([]float32, qckNX*qckNW)
	c.want4 = make([]float32, qckNX*qckNW)
	gemmQ8Generic(c.want8, qckNW, c.q, c.scales, c.sums, qckNX, c.w8, qckNW, qckK)
	gemmQ4Generic(c.want4, qckNW, c.q, c.scales, c.sums, qckNX, c.w4, qckNW, qckK)
	c.wantQ = make([]int8, len(c.x))
	c.wantS = make([]float32, len(c.x)/32)
	c.wantM = make([]int32, len(c.x)/32)
	quantizeActsGeneric(c.x, c.wantQ, c.wantS, c.wantM)
	c.wantsReady = true
	return c
}

// rowsAsGemm runs level l's few-row kernel for typ as a qGemmFunc, with the
// batch prepared for it (whatever the level in use), for the self-check and
// the tests.
func rowsAsGemm(typ quant.Type, l *qLevelImpl) qGemmFunc {
	return func(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
		var b QBatch
		b.prepare(typ, q, scales, sums, nx, k, l.rowsStream)
		if typ == quant.Q4 {
			l.rows4(out, ldo, &b, w, nw)
		} else {
			l.rows8(out, ldo, &b, w, nw)
		}
	}
}

// panelsAsGemm runs level l's panel kernels for typ as a qGemmFunc, on a
// packed copy of w.
func panelsAsGemm(typ quant.Type, l *qLevelImpl) qGemmFunc {
	return func(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
		var p QPanels
		p.prepare(q, scales, sums, nx, k, l.panelsActs, l.panelsAMX, nil)
		pw := append([]byte(nil), w[:nw*quant.RowBytes(typ, k)]...)
		if typ == quant.Q4 {
			PackQ4Panels(pw, nw, k)
			gemmQ4PanelsWith(l, gemmQ4Generic, out, ldo, &p, pw, nw)
			return
		}
		packWith(l, pw, nw, k)
		gemmQ8PanelsWith(l, gemmQ8Generic, out, ldo, &p, pw, nw)
	}
}

// qSelfCheck runs the kind's kernel of level lv on the fixed input and
// compares it with the generic twin bit for bit.
func qSelfCheck(kind, lv int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	c := qCheckInput()
	l := &qLevels[lv]
	gemm := func(f qGemmFunc, w []byte, want []float32, nxs []int) error {
		out := make([]float32, qckNX*qckNW+1)
		for _, nx := range nxs {
			for i := range out {
				out[i] = float32(math.NaN())
			}
			out[nx*qckNW] = -1 // guard
			f(out, qckNW, c.q, c.scales, c.sums, nx, w, qckNW, qckK)
			for i := 0; i < nx*qckNW; i++ {
				if math.Float32bits(out[i]) != math.Float32bits(want[i]) {
					return fmt.Errorf("%d tokens: out[%d, %d] = %v, want %v", nx, i/qckNW, i%qckNW, out[i], want[i])
				}
			}
			if out[nx*qckNW] != -1 {
				return fmt.Errorf("%d tokens: wrote past the output", nx)
			}
		}
		return nil
	}
	gemvN := []int{1, 2, 3}[:min(3, l.gemvMax-1)]
	gemmN := []int{l.gemvMax, qckNX}
	rowsN := []int{1, 2, 3, 4, 5, qckNX}
	switch kind {
	case qkQuant:
		n := len(c.x)
		q, s, m := make([]int8, n), make([]float32, n/32), make([]int32, n/32)
		l.quant(c.x, q, s, m)
		for b := range s {
			if math.Float32bits(s[b]) != math.Float32bits(c.wantS[b]) || m[b] != c.wantM[b] {
				return fmt.Errorf("block %d: scale %v sum %d, want %v %d", b, s[b], m[b], c.wantS[b], c.wantM[b])
			}
		}
		for i := range q {
			if q[i] != c.wantQ[i] {
				return fmt.Errorf("q[%d] = %d, want %d", i, q[i], c.wantQ[i])
			}
		}
	case qkGemv8:
		return gemm(l.gemv8, c.w8, c.want8, gemvN)
	case qkGemm8:
		return gemm(l.gemm8, c.w8, c.want8, gemmN)
	case qkGemv4:
		return gemm(l.gemv4, c.w4, c.want4, gemvN)
	case qkGemm4:
		return gemm(l.gemm4, c.w4, c.want4, gemmN)
	case qkRows8:
		if l.rows8 != nil {
			return gemm(rowsAsGemm(quant.Q8, l), c.w8, c.want8, rowsN)
		}
	case qkRows4:
		if l.rows4 != nil {
			return gemm(rowsAsGemm(quant.Q4, l), c.w4, c.want4, rowsN)
		}
	case qkPanels8:
		if l.panelsAMX {
			// The tile kernel from 2 tokens on, so that the check's ≤ 9 run it.
			defer func(n int) { amxMinTokens = n }(amxMinTokens)
			amxMinTokens = 2
		}
		if l.panels8 != nil {
			return gemm(panelsAsGemm(quant.Q8, l), c.w8, c.want8, rowsN)
		}
	case qkPanels4:
		if l.panels4 != nil {
			return gemm(panelsAsGemm(quant.Q4, l), c.w4, c.want4, rowsN)
		}
	case qkPeak:
		if n := l.peak(); n <= 0 {
			return fmt.Errorf("returned %d", n)
		}
	}
	return nil
}
