package simd

import (
	"bytes"
	"fmt"
	"golang.org/x/sys/cpu"
	"math"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/pgedge/pgedge/quant"
)

// TestMain says which integer and float kernel levels this run cannot test, on
// stdout, whether or not -v is given.
func TestMain(m *testing.M) {
	for _, s := range qSkipped() {
		fmt.Println("simd:", s)
	}
	for _, s := range fSkipped() {
		fmt.Println("simd:", s)
	}
	os.Exit(m.Run())
}

// TestQLevels lists every level of this architecture: it runs the
// self-check of each kernel kind on the levels the CPU has, and says
// "SKIP <level>: <reason>" for the others.
func TestQLevels(t *testing.T) {
	forEachQLevel(t, func(t *testing.T, im qImpl) {
		for kind := range qkCount {
			t0 := time.Now()
			err := qSelfCheck(kind, im.level)
			if err != nil {
				t.Errorf("%s %s self-check: %v", im.name, qKindNames[kind], err)
			}
			t.Logf("%s %s self-check: %v in %v", im.name, qKindNames[kind], err, time.Since(t0))
		}
	})
	n := qBest()
	want := [qkCount]int{}
	for i := range want {
		want[i] = n
	}
	if qSel != want && os.Getenv("PGEDGE_SIMD") == "" {
		t.Errorf("start-up selection %v (%s), want level %d (%s) for every kind", qSel, IntKernels(), n, qLevels[n].name)
	}
}

// TestQSelfCheckBroken swaps a deliberately wrong function in for each
// kernel kind of the best level and checks that the selection drops that
// kind (only) to a lower level with a warning that names it, and that the
// exported function then still gives the right answer.
func TestQSelfCheckBroken(t *testing.T) {
	best := qBest()
	if best == 0 {
		t.Skip("SKIP: no assembly level on this CPU/build, nothing to break")
	}
	c := qCheckInput()
	wrong := func(f qGemmFunc) qGemmFunc {
		return func(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
			f(out, ldo, q, scales, sums, nx, w, nw, k)
			out[(nx-1)*ldo+nw-1] += 0.25 // one entry off
		}
	}
	for kind := range qkCount {
		t.Run(qKindNames[kind], func(t *testing.T) {
			saved := qLevels[best]
			defer func() { qLevels[best] = saved }()
			l := &qLevels[best]
			switch kind {
			case qkQuant:
				f := l.quant
				l.quant = func(x []float32, q []int8, s []float32, m []int32) { f(x, q, s, m); q[len(q)-1]++ }
			case qkGemv8:
				l.gemv8 = wrong(l.gemv8)
			case qkGemm8:
				l.gemm8 = wrong(l.gemm8)
			case qkGemv4:
				l.gemv4 = wrong(l.gemv4)
			case qkGemm4:
				l.gemm4 = wrong(l.gemm4)
			case qkRows8:
				if l.rows8 == nil {
					t.Skipf("SKIP %s: no few-row Q8 kernel at this level", l.name)
				}
				f := l.rows8
				l.rows8 = func(out []float32, ldo int, b *QBatch, w []byte, nw int) {
					f(out, ldo, b, w, nw)
					out[ldo+nw-1] += 0.25
				}
			case qkRows4:
				if l.rows4 == nil {
					t.Skipf("SKIP %s: no few-row Q4 kernel at this level", l.name)
				}
				f := l.rows4
				l.rows4 = func(out []float32, ldo int, b *QBatch, w []byte, nw int) {
					f(out, ldo, b, w, nw)
					out[ldo+nw-1] += 0.25
				}
			case qkPanels8:
				if l.panels8 == nil {
					t.Skipf("SKIP %s: no Q8 panel kernel at this level", l.name)
				}
				f := l.panels8
				l.panels8 = func(out []float32, ldo int, p *QPanels, w []byte, nw int) {
					f(out, ldo, p, w, nw)
					out[(p.nx-1)*ldo] += 0.25
				}
			case qkPanels4:
				if l.panels4 == nil {
					t.Skipf("SKIP %s: no Q4 panel kernel at this level (AVX-512 VBMI: %v)", l.name, cpu.X86.HasAVX512VBMI)
				}
				f := l.panels4
				l.panels4 = func(out []float32, ldo int, p *QPanels, w []byte, nw int) {
					f(out, ldo, p, w, nw)
					out[(p.nx-1)*ldo] += 0.25
				}
			case qkPeak:
				l.peak = func() int64 { panic("illegal instruction (simulated)") }
			}
			var warn bytes.Buffer
			sel := qSelect(best, &warn)
			t.Logf("selection with a broken %s %s: %v; warning: %q", l.name, qKindNames[kind], sel, warn.String())
			for k2, lv := range sel {
				if k2 == kind && lv >= best || k2 != kind && lv != best {
					t.Errorf("kind %s got level %d (%s)", qKindNames[k2], lv, qLevels[lv].name)
				}
			}
			if w := warn.String(); !strings.Contains(w, l.name+" "+qKindNames[kind]) || !strings.Contains(w, "self-check") {
				t.Errorf("warning %q does not name the %s %s kernel", w, l.name, qKindNames[kind])
			}
			// The exported functions with this selection give the right answer.
			old := qSel
			qSel = sel
			defer func() { qSel = old }()
			out := make([]float32, qckNX*qckNW)
			for _, nx := range []int{1, qckNX} {
				GemmQ8(out, qckNW, c.q, c.scales, c.sums, nx, c.w8, qckNW, qckK)
				for i := range nx * qckNW {
					if out[i] != c.want8[i] {
						t.Fatalf("GemmQ8 nx=%d out[%d] = %v, want %v", nx, i, out[i], c.want8[i])
					}
				}
				GemmQ4(out, qckNW, c.q, c.scales, c.sums, nx, c.w4, qckNW, qckK)
				for i := range nx * qckNW {
					if out[i] != c.want4[i] {
						t.Fatalf("GemmQ4 nx=%d out[%d] = %v, want %v", nx, i, out[i], c.want4[i])
					}
				}
			}
			pw := append([]byte(nil), c.w8...)
			PackQ8Panels(pw, qckNW, qckK)
			for _, nx := range []int{1, 2, 4, 5, qckNX} {
				var p QPanels
				p.Prepare(c.q, c.scales, c.sums, nx, qckK)
				GemmQ8Panels(out, qckNW, &p, pw, qckNW)
				for i := range nx * qckNW {
					if out[i] != c.want8[i] {
						t.Fatalf("GemmQ8Panels nx=%d out[%d] = %v, want %v", nx, i, out[i], c.want8[i])
					}
				}
			}
			pw4 := append([]byte(nil), c.w4...)
			PackQ4Panels(pw4, qckNW, qckK)
			for _, nx := range []int{1, 2, 4, 5, qckNX} {
				var p QPanels
				p.Prepare(c.q, c.scales, c.sums, nx, qckK)
				GemmQ4Panels(out, qckNW, &p, pw4, qckNW)
				for i := range nx * qckNW {
					if out[i] != c.want4[i] {
						t.Fatalf("GemmQ4Panels nx=%d out[%d] = %v, want %v", nx, i, out[i], c.want4[i])
					}
				}
			}
			for _, nx := range []int{2, 4, 5, qckNX} {
				var b QBatch
				b.Prepare(quant.Q8, c.q, c.scales, c.sums, nx, qckK)
				GemmQ8Batch(out, qckNW, &b, c.w8, qckNW)
				for i := range nx * qckNW {
					if out[i] != c.want8[i] {
						t.Fatalf("GemmQ8Batch nx=%d out[%d] = %v, want %v", nx, i, out[i], c.want8[i])
					}
				}
				b.Prepare(quant.Q4, c.q, c.scales, c.sums, nx, qckK)
				GemmQ4Batch(out, qckNW, &b, c.w4, qckNW)
				for i := range nx * qckNW {
					if out[i] != c.want4[i] {
						t.Fatalf("GemmQ4Batch nx=%d out[%d] = %v, want %v", nx, i, out[i], c.want4[i])
					}
				}
			}
			q, s, m := make([]int8, len(c.x)), make([]float32, len(c.x)/32), make([]int32, len(c.x)/32)
			QuantizeActs(c.x, q, s, m)
			if string(i8b(q)) != string(i8b(c.wantQ)) {
				t.Errorf("QuantizeActs differs")
			}
			if g := PeakGops(time.Millisecond); !(g > 0) || math.IsInf(g, 0) {
				t.Errorf("PeakGops = %v", g)
			}
		})
	}
}

// TestQStartLevel checks the interpretation of PGEDGE_SIMD.
func TestQStartLevel(t *testing.T) {
	best := qBest()
	for lv, l := range qLevels {
		var warn bytes.Buffer
		got := qStartLevel(l.name, &warn)
		if l.have && (got != lv || warn.Len() != 0) {
			t.Errorf("PGEDGE_SIMD=%s: level %d, warning %q; want %d and none", l.name, got, warn.String(), lv)
		}
		if !l.have && (got >= lv || !qLevels[got].have || !strings.Contains(warn.String(), "lacks")) {
			t.Errorf("PGEDGE_SIMD=%s (not on this CPU): level %d, warning %q", l.name, got, warn.String())
		}
	}
	var warn bytes.Buffer
	if got := qStartLevel("", &warn); got != best || warn.Len() != 0 {
		t.Errorf("PGEDGE_SIMD unset: level %d, warning %q", got, warn.String())
	}
	if got := qStartLevel("avx9000", &warn); got != best || !strings.Contains(warn.String(), "not one of") {
		t.Errorf("PGEDGE_SIMD=avx9000: level %d, warning %q", got, warn.String())
	}
	// A level the CPU lacks falls back to the best one below it.
	saved := qLevels[len(qLevels)-1].have
	defer func() { qLevels[len(qLevels)-1].have = saved }()
	if len(qLevels) > 2 {
		qLevels[len(qLevels)-1].have = false
		warn.Reset()
		top := qLevels[len(qLevels)-1].name
		got := qStartLevel(top, &warn)
		if got >= len(qLevels)-1 || !qLevels[got].have || !strings.Contains(warn.String(), "PGEDGE_SIMD="+top) {
			t.Errorf("PGEDGE_SIMD=%s on a CPU without it: level %d, warning %q", top, got, warn.String())
		}
	}
}

// TestQEnvLevels re-runs the test binary with PGEDGE_SIMD set to each
// level (and generic) and checks what it reports.
func TestQEnvLevels(t *testing.T) {
	if os.Getenv("PGEDGE_SIMD_QCHILD") != "" {
		fmt.Printf("intkernels=%s\n", IntKernels())
		return
	}
	for _, l := range qLevels {
		cmd := exec.Command(os.Args[0], "-test.run=^TestQEnvLevels$")
		cmd.Env = append(os.Environ(), "PGEDGE_SIMD="+l.name, "PGEDGE_SIMD_QCHILD=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		b, err := cmd.Output()
		if err != nil {
			t.Skipf("cannot re-run the test binary (%v); e.g. under qemu without binfmt", err)
		}
		if l.have && !strings.Contains(string(b), "intkernels="+l.name+"\n") {
			t.Errorf("with PGEDGE_SIMD=%s the child printed %q", l.name, b)
		}
		if !l.have && !strings.Contains(stderr.String(), "lacks") {
			t.Errorf("with PGEDGE_SIMD=%s (not on this CPU) the child warned %q", l.name, stderr.String())
		}
		if l.have && stderr.Len() != 0 {
			t.Errorf("with PGEDGE_SIMD=%s the child warned %q", l.name, stderr.String())
		}
	}
}

// TestQStartLevelFloatNames: a float level's name caps the integer kernels
// at the same registers, without a warning.
func TestQStartLevelFloatNames(t *testing.T) {
	for env, top := range qFromFloatLevel {
		want := -1
		for lv, l := range qLevels {
			if l.name == top {
				for want = lv; want > 0 && !qLevels[want].have; want-- {
				}
			}
		}
		var warn bytes.Buffer
		got := qStartLevel(env, &warn)
		if want < 0 { // another architecture's name
			if got != qBest() || !strings.Contains(warn.String(), "not one of") {
				t.Errorf("PGEDGE_SIMD=%s: level %d, warning %q; want the best and a warning", env, got, warn.String())
			}
			continue
		}
		if got != want || warn.Len() != 0 {
			t.Errorf("PGEDGE_SIMD=%s: level %s, warning %q; want %s and none", env, qLevels[got].name, warn.String(), qLevels[want].name)
		}
	}
}
