package simd

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// fSkipped returns one "SKIP <level>: <reason>" line per float level of this
// architecture that the CPU cannot run.
func fSkipped() []string {
	var s []string
	for _, l := range fLevels {
		if !l.have {
			s = append(s, fmt.Sprintf("SKIP %s: this CPU lacks %s, so its float kernels are not tested here", l.name, l.need))
		}
	}
	return s
}

// forEachFLevel runs f once per float level of this architecture as a
// subtest named after the level, with that level active for every kind (the
// highest level ≤ it that has a kernel of the kind); levels the CPU lacks are
// skipped subtests saying "SKIP <level>: <reason>".
func forEachFLevel(t *testing.T, f func(t *testing.T, im impl)) {
	for lv, l := range fLevels {
		t.Run(l.name, func(t *testing.T) {
			if !l.have {
				t.Skipf("SKIP %s: this CPU lacks %s", l.name, l.need)
			}
			defer fApply(fSel)
			fApply(fUniform(lv))
			f(t, levelImpl(lv))
		})
	}
}

// TestFLevels runs the self-check of every kind on every level the CPU has,
// and checks the start-up selection: every kind at the best level.
func TestFLevels(t *testing.T) {
	forEachFLevel(t, func(t *testing.T, im impl) {
		for kind := range fkCount {
			if !fKindHas(im.level, kind) {
				continue
			}
			if err := fSelfCheck(kind, im.level); err != nil {
				t.Errorf("%s %s self-check: %v", im.name, fKindNames[kind], err)
			}
		}
	})
	if best := fPrefer(fBest(), vdpbf16psSlow()); fSel != fUniform(best) && os.Getenv("PGEDGE_SIMD") == "" {
		t.Errorf("start-up selection %v (%s), want %v (%s)", fSel, Kernels(), fUniform(best), fLevelName(best))
	}
	t.Logf("active: %s %v", Kernels(), FloatKernelLevels())
	for _, s := range fSkipped() {
		t.Log(s)
	}
}

// TestFloatLevelsExported runs the exported float functions at each level
// against the Go twins: the GEMMs on small integers (exact in any order),
// DotF32 and AxpyF32 likewise, the elementwise kernels bit for bit.
func TestFloatLevelsExported(t *testing.T) {
	forEachFLevel(t, func(t *testing.T, im impl) {
		rng := rand.New(rand.NewPCG(7, 7))
		for _, sh := range [][3]int{{1, 9, 37}, {2, 7, 64}, {3, 5, 8}, {5, 17, 33}, {30, 20, 45}, {7, 40, 600}} {
			nx, nw, k := sh[0], sh[1], sh[2]
			x, wf := make([]float32, nx*k), make([]float32, nw*k)
			w16 := make([]uint16, nw*k)
			for i := range x {
				x[i] = float32(rng.IntN(9) - 4)
			}
			for i := range wf {
				wf[i] = float32(rng.IntN(11) - 5)
				w16[i] = uint16(math.Float32bits(wf[i]) >> 16)
			}
			want, got := make([]float32, nx*nw), make([]float32, nx*nw)
			gemmF32Generic(want, nw, x, nx, wf, nw, k)
			GemmF32(got, nw, x, nx, wf, nw, k)
			if i := firstDiff(got, want); i >= 0 {
				t.Errorf("GemmF32 %v: out[%d] = %v, want %v", sh, i, got[i], want[i])
			}
			GemmBF16(got, nw, x, nx, w16, nw, k)
			if i := firstDiff(got, want); i >= 0 {
				t.Errorf("GemmBF16 %v: out[%d] = %v, want %v", sh, i, got[i], want[i])
			}
			if d, e := DotF32(x[:k], wf[:k]), dotF32Generic(x[:k], wf[:k]); d != e {
				t.Errorf("DotF32 k=%d: %v, want %v", k, d, e)
			}
			y, yg := append([]float32(nil), wf[:k]...), append([]float32(nil), wf[:k]...)
			AxpyF32(y, 2, x[:k])
			axpyGeneric(yg, 2, x[:k])
			if i := firstDiff(y, yg); i >= 0 {
				t.Errorf("AxpyF32 k=%d: y[%d] = %v, want %v", k, i, y[i], yg[i])
			}
		}
		xs := elementwiseInputs(rng, 1000)
		checkElementwise(t, xs, 0.5, 30)
	})
}

func firstDiff(a, b []float32) int {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i
		}
	}
	return -1
}

// TestFSelfCheckBroken makes each kind's self-check see a wrong answer at
// the best level and checks that the selection drops that kind (only) to a
// lower level with a warning that names it, and that the exported functions
// then still give the right answer.
func TestFSelfCheckBroken(t *testing.T) {
	best := fBest()
	if best == 0 {
		t.Skip("SKIP: no float assembly level on this CPU/build, nothing to break")
	}
	want := fUniform(best)
	for kind := range fkCount {
		t.Run(fKindNames[kind], func(t *testing.T) {
			broken := want[kind]
			fCheckTamper = func(k, lv int, got []float32) {
				if k == kind && lv == broken {
					got[len(got)-1] += 0.25
				}
			}
			defer func() { fCheckTamper = nil }()
			var warn bytes.Buffer
			sel := fSelect(best, &warn)
			t.Logf("selection with a broken %s %s: %v; warning: %q", fLevels[broken].name, fKindNames[kind], sel, warn.String())
			for k2, lv := range sel {
				if k2 == kind && lv >= broken || k2 != kind && lv != want[k2] {
					t.Errorf("kind %s got level %d (%s)", fKindNames[k2], lv, fLevels[lv].name)
				}
			}
			if w := warn.String(); !strings.Contains(w, fLevels[broken].name+" "+fKindNames[kind]) || !strings.Contains(w, "self-check") {
				t.Errorf("warning %q does not name the %s %s kernel", w, fLevels[broken].name, fKindNames[kind])
			}
			if strings.Count(warn.String(), "\n") != 1 {
				t.Errorf("want one warning line, got %q", warn.String())
			}
			defer fApply(fSel)
			fApply(sel)
			// The fallback shows: a mixed selection as kind=level pairs, or
			// (avx512bf16's gemm falling back to avx512f) the lower level's name.
			if k := Kernels(); k == fLevelName(best) || !strings.Contains(k, fKindNames[kind]+"=") && sel != fUniform(sel[kind]) {
				t.Errorf("Kernels() = %q does not show the fallback", k)
			}
			for k2 := range fkCount {
				if err := fSelfCheck(k2, sel[k2]); err != nil {
					t.Errorf("%s at %s: %v", fKindNames[k2], fLevels[sel[k2]].name, err)
				}
			}
		})
	}
}

// TestFStartLevel checks the interpretation of PGEDGE_SIMD for the float
// kernels: their own level names, the integer levels' names (mapped to the
// float level of the same registers), and anything else.
func TestFStartLevel(t *testing.T) {
	slow := vdpbf16psSlow()
	best := fPrefer(fBest(), slow)
	for lv, l := range fLevels {
		var warn bytes.Buffer
		got := fStartLevel(l.name, &warn)
		if l.have && (got != lv || warn.Len() != 0) {
			t.Errorf("PGEDGE_SIMD=%s: level %d, warning %q; want %d and none", l.name, got, warn.String(), lv)
		}
		if !l.have && (got >= lv || !fLevels[got].have || !strings.Contains(warn.String(), "lacks")) {
			t.Errorf("PGEDGE_SIMD=%s (not on this CPU): level %d, warning %q", l.name, got, warn.String())
		}
	}
	level := func(name string) int {
		for lv, l := range fLevels {
			if l.name == name {
				return lv
			}
		}
		return -1
	}
	for _, c := range []struct{ env, want string }{
		{"avx2", "avx2-fma"}, {"AVXVNNI", "avx2-fma"}, {" avx512vnni", "avx512bf16"},
		{"neon-sdot", "neon"}, {"neon-i8mm", "neon"}, {"neon", "neon"}, {"GENERIC", "generic"},
	} {
		lv := level(c.want)
		if lv < 0 {
			continue // not this architecture's
		}
		for !fLevels[lv].have {
			lv--
		}
		lv = fPrefer(lv, slow)
		var warn bytes.Buffer
		if got := fStartLevel(c.env, &warn); got != lv || warn.Len() != 0 {
			t.Errorf("PGEDGE_SIMD=%q: level %d (%s), warning %q; want %d (%s)", c.env, got, fLevels[got].name, warn.String(), lv, fLevels[lv].name)
		}
	}
	for _, env := range []string{"", "avx9000"} {
		var warn bytes.Buffer
		if got := fStartLevel(env, &warn); got != best || warn.Len() != 0 {
			t.Errorf("PGEDGE_SIMD=%q: level %d, warning %q; want %d, none (qStartLevel warns)", env, got, warn.String(), best)
		}
	}
}

// TestFEnvLevels re-runs the test binary with PGEDGE_SIMD set to each float
// level and to the integer names that select one, and checks what Kernels
// reports: the same strings as before the float kernels had levels.
func TestFEnvLevels(t *testing.T) {
	if os.Getenv("PGEDGE_SIMD_FCHILD") != "" {
		fmt.Printf("kernels=%s\n", Kernels())
		return
	}
	envs := map[string]int{}
	for lv, l := range fLevels {
		if l.have {
			envs[l.name] = lv
		}
	}
	for env, name := range fFromIntLevel {
		for lv, l := range fLevels {
			if l.name == name && l.have {
				// The child's AMX-BF16 tile runs only with the integer kernels at amx.
				envs[env] = fPrefer(lv, cpuIntel && !(env == "amx" && haveBF16AMX))
			}
		}
	}
	for env, lv := range envs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFEnvLevels$")
		cmd.Env = append(os.Environ(), "PGEDGE_SIMD="+env, "PGEDGE_SIMD_FCHILD=1")
		b, err := cmd.Output()
		if err != nil {
			t.Skipf("cannot re-run the test binary (%v); e.g. under qemu without binfmt", err)
		}
		if want := "kernels=" + fLevelName(lv) + "\n"; !strings.Contains(string(b), want) {
			t.Errorf("with PGEDGE_SIMD=%s the child printed %q, want %q", env, b, want)
		}
	}
}

// TestFPrefer: avx512bf16 gives way to avx512f where VDPBF16PS is the slow path
// (an Intel CPU without the AMX-BF16 tile in use), and nothing else changes.
func TestFPrefer(t *testing.T) {
	for lv, l := range fLevels {
		if got := fPrefer(lv, false); got != lv {
			t.Errorf("fPrefer(%s, false) = %s", l.name, fLevels[got].name)
		}
		want := l.name
		if l.name == "avx512bf16" {
			want = "avx512f"
		}
		if got := fPrefer(lv, true); fLevels[got].name != want {
			t.Errorf("fPrefer(%s, true) = %s, want %s", l.name, fLevels[got].name, want)
		}
	}
	t.Logf("this CPU: Intel %v, AMX-BF16 tile in use %v: %s", cpuIntel, bf16AMXOK, Kernels())
}
