package simd

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
)

// Dispatch of the float kernels, as dispatch.go does for the integer ones.
// Each architecture has levels (level 0 is always the generic Go code;
// amd64: generic, avx2-fma, avx512f, avx512bf16; arm64: generic, neon), and
// four kernel kinds are chosen separately:
//
//	kind         what                                     levels with a kernel of their own
//	dot          DotF32, AxpyF32                          avx2-fma / neon
//	gemv         GemmF32/GemmBF16 with nx < tileT tokens  avx2-fma / neon, avx512f (bf16 rows on zmm)
//	gemm         GemmF32/GemmBF16 tiles and prefill       avx2-fma / neon, avx512f (24×16 zmm tile),
//	                                                      avx512bf16 (GemmBF16's prefill on VDPBF16PS
//	                                                      with bf16-rounded activations, gemm.go)
//	elementwise  ExpShiftF32, SoftcapF32, GeluTanhF32,    avx2-fma / neon, avx512f (exp, softcap
//	             ScaleF32, MaxF32                         and GELU on zmm)
//
// Once, at start-up, every kind gets the highest level ≤ the one asked for
// (PGEDGE_SIMD, else the best the CPU has, as fPrefer adjusts it) that has a
// kernel of that kind,
// that the CPU can run, and whose kernel passes its self-check against the Go
// twin (fSelfCheck, selfcheck_float.go); a kernel that fails is not used and a
// warning names it. The kernels read the switches below (one bool load per
// call), which fApply sets from the selection.

// fLevelImpl is one level of float kernels.
type fLevelImpl struct {
	name string
	have bool   // this CPU (and build) can run it
	need string // what it needs, for messages
}

// The float kernel kinds.
const (
	fkDot = iota
	fkGemv
	fkGemm
	fkElem
	fkCount
)

var fKindNames = [fkCount]string{"dot", "gemv", "gemm", "elementwise"}

// fLevels lists this build's levels: generic, then the assembly of gemm_$GOARCH.s
// (asmName) where there is one, then on amd64 the AVX-512F kernels of
// gemm512_amd64.go and the AVX-512 BF16 prefill of gemmbf16dot_amd64.go.
var fLevels = fLevelList()

func fLevelList() []fLevelImpl {
	l := []fLevelImpl{{name: "generic", have: true}}
	if asmName == "generic" { // purego, or no assembly for this architecture
		return l
	}
	need := "ASIMD"
	if runtime.GOARCH == "amd64" {
		need = "AVX2 and FMA"
	}
	l = append(l, fLevelImpl{name: asmName, have: haveAsm, need: need})
	if runtime.GOARCH == "amd64" {
		l = append(l, fLevelImpl{name: "avx512f", have: haveZmmF, need: "AVX-512F"})
		l = append(l, fLevelImpl{name: "avx512bf16", have: haveBF16Dot, need: "AVX-512F and AVX-512 BF16"})
	}
	return l
}

// fKindHas reports whether level lv has a kernel of kind: generic and the
// base assembly level have every kind; avx512f gemv, gemm and elementwise
// (dot and AXPY stay on ymm there); avx512bf16 only gemm.
func fKindHas(lv, kind int) bool {
	switch {
	case lv == 0:
		return true
	case fLevels[lv].name == "avx512bf16":
		return kind == fkGemm
	case kind == fkElem:
		return (lv == 1 || fLevels[lv].name == "avx512f") && haveElemAsm
	}
	return lv == 1 || kind == fkGemv || kind == fkGemm
}

// fStartSel is the level of each kind chosen at start-up (ForceGeneric(false)
// goes back to it); fSel is the selection in force, which fApply sets with
// the switches below.
var (
	fStartSel = fStart()
	fSel      [fkCount]int
)

func fStart() [fkCount]int {
	sel := fSelect(fStartLevel(os.Getenv("PGEDGE_SIMD"), os.Stderr), os.Stderr)
	fApply(sel)
	return sel
}

// The switches the kernels read (one bool load per call), set by fApply from
// fSel; useZmmF (the avx512f prefill, gemm512_amd64.go) is one of
// them. They have no initializers of their own: the self-checks, run while
// fStartSel is initialized, set them and call the kernels that read them, so
// an initializer referring to fStartSel would be a cycle. fStartSel is
// declared in this file, which sorts before the kernel files: a package-level
// initializer there that reads a switch runs after it.
var useDotAsm, useGemvAsm, useGemmAsm, useElemAsm, useElemZmm, useZmmGemv bool

// fIsZmm reports whether level lv is an AVX-512 level (avx512f or avx512bf16).
func fIsZmm(lv int) bool { return fLevels[lv].name == "avx512f" || fLevels[lv].name == "avx512bf16" }

// fApply puts a selection in force: fSel and the switches.
func fApply(sel [fkCount]int) {
	fSel = sel
	useDotAsm = sel[fkDot] > 0
	useGemvAsm = sel[fkGemv] > 0
	useGemmAsm = sel[fkGemm] > 0
	useElemAsm = sel[fkElem] > 0
	useElemZmm = fIsZmm(sel[fkElem]) // read by elementwise_amd64.s
	useZmmGemv = fIsZmm(sel[fkGemv])
	useZmmF = fIsZmm(sel[fkGemm])
	useBF16Dot = fLevels[sel[fkGemm]].name == "avx512bf16"
	useBF16AMX = useBF16Dot && bf16AMXOK
}

// fUniform is the selection of level lv for every kind: each kind at the
// highest level ≤ lv that has a kernel of that kind.
func fUniform(lv int) (sel [fkCount]int) {
	for kind := range sel {
		l := lv
		for l > 0 && !fKindHas(l, kind) {
			l--
		}
		sel[kind] = l
	}
	return sel
}

// fBest returns the highest level this CPU can run.
func fBest() int {
	for lv := len(fLevels) - 1; lv > 0; lv-- {
		if fLevels[lv].have {
			return lv
		}
	}
	return 0
}

// fPrefer is the float level to use for level lv when PGEDGE_SIMD does not name a
// float level: lv, except that avx512bf16 gives way to avx512f (the level below it)
// when bf16Slow. On Intel's cores the bf16 prefill on VDPBF16PS is slower than
// widening the weights to float32 for the avx512f tile, unless the AMX-BF16 tile
// runs it. On the Xeon of 2026-12-07 with PGEDGE_SIMD=avx512vnni (AMX off), the
// GEMM alone ran 89–91 against 114–118 GFLOP/s. PaliGemma 2 3B BF16 went from
// 31.7–31.9 to 36.8–36.9 image + prompt tokens/s, TTFT 8.05–8.10 → 6.97–6.99 s, and
// vision 1.54–1.55 → 1.15–1.20 s. On AMD's Zen 5 VDPBF16PS is the fast path.
// Cooper Lake (AVX-512 BF16 without AMX) is not measured. The float32 path is also
// the more accurate: no activation is rounded to bf16.
func fPrefer(lv int, bf16Slow bool) int {
	if bf16Slow && fLevels[lv].name == "avx512bf16" {
		return lv - 1
	}
	return lv
}

// vdpbf16psSlow is fPrefer's bf16Slow for this process: an Intel CPU whose AMX-BF16
// tile is not in use (not there, not granted, or the integer kernels below amx).
func vdpbf16psSlow() bool { return cpuIntel && !bf16AMXOK }

// fFromIntLevel maps the integer levels' names, which PGEDGE_SIMD also
// takes, to the float level of the same registers: the float kernels then
// follow PGEDGE_SIMD=avx2 or =neon-sdot as they did before they had levels of
// their own (avx2 and avxvnni: no zmm; avx512vnni: zmm).
var fFromIntLevel = map[string]string{
	"avx2": "avx2-fma", "avxvnni": "avx2-fma", "avx512vnni": "avx512bf16", "amx": "avx512bf16",
	"neon-sdot": "neon", "neon-i8mm": "neon",
}

// fStartLevel interprets PGEDGE_SIMD: empty means the best level (fPrefer); a
// float level's name (generic, avx2-fma, avx512f, avx512bf16, neon) asks for that
// level, an integer level's (avx2, avxvnni, avx512vnni, amx, neon-sdot, …) for the
// float level of the same registers (fPrefer), and one this CPU lacks falls back,
// with a warning, to the best level below it. Other names mean the best level:
// the integer dispatch (qStartLevel) already warns about them.
func fStartLevel(env string, warn io.Writer) int {
	env = strings.TrimSpace(strings.ToLower(env))
	slow := vdpbf16psSlow()
	if env == "" {
		return fPrefer(fBest(), slow)
	}
	name := env
	if n, ok := fFromIntLevel[env]; ok {
		name = n
	}
	for lv, l := range fLevels {
		if l.name != name {
			continue
		}
		if l.have && name != env {
			return fPrefer(lv, slow) // an integer level's name
		}
		if l.have {
			return lv
		}
		for lv--; lv > 0 && !fLevels[lv].have; lv-- {
		}
		if name == env { // a float level's name (for an integer level's, qStartLevel warns)
			fmt.Fprintf(warn, "pgedge: warning: PGEDGE_SIMD=%s: this CPU lacks %s; using %s for the float kernels\n", env, l.need, fLevels[lv].name)
		}
		return lv
	}
	return fPrefer(fBest(), slow)
}

// fSelect gives each kind the highest level ≤ lv that has a kernel of that
// kind, that the CPU has, and whose kernel passes its self-check.
func fSelect(lv int, warn io.Writer) (sel [fkCount]int) {
	for kind := range sel {
		l := lv
		for ; l > 0; l-- {
			if !fLevels[l].have || !fKindHas(l, kind) {
				continue
			}
			if err := fSelfCheck(kind, l); err != nil {
				fmt.Fprintf(warn, "pgedge: warning: the %s %s float kernel failed its start-up self-check (%v); not using it\n", fLevels[l].name, fKindNames[kind], err)
				continue
			}
			break
		}
		sel[kind] = l
	}
	return sel
}

// fLevelName is the name Kernels gives a uniform selection of level lv:
// "generic", asmName, or "avx512f+"+asmName (the zmm kernels beside the ymm
// ones), as bench reports and baselines record it.
func fLevelName(lv int) string {
	if fLevels[lv].name == "avx512bf16" {
		return "avx512bf16+avx512f+" + asmName
	}
	if fIsZmm(lv) {
		return "avx512f+" + asmName
	}
	return fLevels[lv].name
}

// Kernels names the float kernels in use: "avx2-fma", "avx512f+avx2-fma"
// (amd64 with AVX-512F: the prefill and bf16 GEMV on zmm), "neon" or
// "generic" when every kind is at one level, else "kind=level" pairs (a
// kernel failed its self-check, or a test set one kind).
func Kernels() string {
	top := 0
	for _, l := range fSel {
		top = max(top, l)
	}
	if fSel == fUniform(top) {
		return fLevelName(top)
	}
	var s []string
	for kind, l := range fSel {
		s = append(s, fKindNames[kind]+"="+fLevels[l].name)
	}
	return strings.Join(s, " ")
}

// FloatKernelLevels lists the float kernel kinds and the level each uses,
// for pgedge info.
func FloatKernelLevels() map[string]string {
	m := map[string]string{}
	for kind, l := range fSel {
		m[fKindNames[kind]] = fLevels[l].name
	}
	if useBF16AMX {
		m[fKindNames[fkGemm]] += "+amx" // the bf16 prefill's 32 × 32 tiles
	}
	return m
}

// FloatLevels lists this architecture's float kernel levels, best last, and
// whether this CPU can run each.
func FloatLevels() (names []string, have []bool) {
	for _, l := range fLevels {
		names = append(names, l.name)
		have = append(have, l.have)
	}
	return
}

// FloatAsm reports whether the float GEMM kernels run in assembly: false under
// the purego tag, with PGEDGE_SIMD=generic, after ForceGeneric(true), or when
// the start-up self-check refused them. Packages with float kernels of their
// own (vqvae's two-input tile) follow it, so that one switch selects the
// portable code everywhere.
func FloatAsm() bool { return useGemmAsm }
