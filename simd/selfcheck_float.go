package simd

import (
	"fmt"
	"math"
	"strings"
)

// fSelfCheck runs the kernels of one float kind at level lv once, on small
// fixed inputs, against their Go twins: the GEMMs on small integers, so that
// every sum is exact in any order, the rest bit for bit. It runs them through
// the same Go drivers the exported functions use, with the switches set to
// that kind at that level (and every other kind generic), so it checks what
// would run. A panic (an instruction this CPU lacks) is an error too.
func fSelfCheck(kind, lv int) (err error) {
	var sel [fkCount]int
	sel[kind] = lv
	prev := fSel
	fApply(sel)
	defer fApply(prev)
	name := fKindNames[kind]
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: panic: %v", name, r)
		}
	}()
	tamper := func(got []float32) {
		if fCheckTamper != nil {
			fCheckTamper(kind, lv, got)
		}
	}
	switch kind {
	case fkDot:
		return fCheckDot(tamper)
	case fkGemv:
		// One and two tokens, 5 rows (an edge tile of 4), k = 21 (a masked
		// step) and 53 (a 32-value zmm step).
		return fCheckGemm([][3]int{{1, 5, 21}, {2, 5, 53}}, tamper)
	case fkGemm:
		if fLevels[lv].name == "avx512bf16" {
			var warn strings.Builder
			if !bf16DotSelfCheck(&warn, gemmBF16Dot) {
				return fmt.Errorf("%s", strings.TrimPrefix(strings.TrimSpace(warn.String()), "pgedge: warning: "))
			}
		}
		// The 4-row tile, the 6×16 prefill, and the 24×16 zmm tile (nx ≥ 24)
		// with edges in both directions.
		return fCheckGemm([][3]int{{4, 5, 21}, {7, 17, 21}, {29, 19, 21}}, tamper)
	case fkElem:
		return fCheckElem(tamper)
	}
	return nil
}

// fCheckTamper, when set (by a test), alters a self-check's results before
// they are compared, as a broken kernel would.
var fCheckTamper func(kind, lv int, got []float32)

// gemmCheckInputs returns the self-checks' GEMM operands for a shape: small
// integers, exact in float32 and bfloat16 (w16 is wf in bf16) and in every
// sum, so that any summation order gives want, the generic result.
func gemmCheckInputs(nx, nw, k int) (x, wf []float32, w16 []uint16, want []float32) {
	x = make([]float32, nx*k)
	wf = make([]float32, nw*k)
	w16 = make([]uint16, nw*k)
	for i := range x {
		x[i] = float32(i*7%9) - 4
	}
	for i := range wf {
		wf[i] = float32(i*5%11) - 5
		w16[i] = uint16(math.Float32bits(wf[i]) >> 16)
	}
	want = make([]float32, nx*nw)
	gemmF32Generic(want, nw, x, nx, wf, nw, k)
	return x, wf, w16, want
}

// fCheckGemm runs GemmF32 and GemmBF16 on each shape {nx, nw, k}.
func fCheckGemm(shapes [][3]int, tamper func([]float32)) error {
	for _, sh := range shapes {
		nx, nw, k := sh[0], sh[1], sh[2]
		x, wf, w16, want := gemmCheckInputs(nx, nw, k)
		got := make([]float32, nx*nw)
		GemmF32(got, nw, x, nx, wf, nw, k)
		tamper(got)
		for i := range got {
			if got[i] != want[i] {
				return fmt.Errorf("f32 %d×%d×%d: out[%d] = %v, want %v", nx, nw, k, i, got[i], want[i])
			}
		}
		clear(got)
		GemmBF16(got, nw, x, nx, w16, nw, k)
		tamper(got)
		for i := range got {
			if got[i] != want[i] {
				return fmt.Errorf("bf16 %d×%d×%d: out[%d] = %v, want %v", nx, nw, k, i, got[i], want[i])
			}
		}
	}
	return nil
}

// fCheckDot checks DotF32, AxpyF32 and AxpyRowsF32 (FMA on integers: exact).
func fCheckDot(tamper func([]float32)) error {
	const k = 21
	x, w := make([]float32, k), make([]float32, k)
	for i := range x {
		x[i] = float32(i*7%9) - 4
		w[i] = float32(i*5%11) - 5
	}
	d := []float32{DotF32(x, w)}
	tamper(d)
	if e := dotF32Generic(x, w); d[0] != e {
		return fmt.Errorf("dot: %v, want %v", d[0], e)
	}
	y, yg := make([]float32, 16), make([]float32, 16)
	for i := range y {
		y[i] = float32(i*3%7) - 3
		yg[i] = y[i]
	}
	AxpyF32(y, 3, append([]float32(nil), y...))
	for i := range yg {
		yg[i] += 3 * yg[i]
	}
	for i := range y {
		if math.Float32bits(y[i]) != math.Float32bits(yg[i]) {
			return fmt.Errorf("axpy: y[%d] = %v, want %v", i, y[i], yg[i])
		}
	}
	// AxpyRowsF32 on 72 values (a 64-value chunk, then 8) × 3 rows.
	const cols = 72
	xr, yr, a := make([]float32, 3*cols), make([]float32, cols), []float32{2, -1, 3}
	for i := range xr {
		xr[i] = float32(i*5%13) - 6
	}
	yrg := append([]float32(nil), yr...)
	AxpyRowsF32(yr, a, xr)
	tamper(yr)
	for j, aj := range a {
		axpyGeneric(yrg, aj, xr[j*cols:(j+1)*cols])
	}
	for i := range yr {
		if math.Float32bits(yr[i]) != math.Float32bits(yrg[i]) {
			return fmt.Errorf("axpy rows: y[%d] = %v, want %v", i, yr[i], yrg[i])
		}
	}
	return nil
}

// fCheckElem checks the elementwise kernels bit for bit (they use no FMA).
func fCheckElem(tamper func([]float32)) error {
	// 24 values: at the AVX-512F level 16 on zmm, then 8 on ymm.
	v := make([]float32, 24)
	for i := range v {
		v[i] = float32(i-12) * 0.71
	}
	for _, kind := range []string{"exp", "softcap", "gelu", "scale", "max"} {
		a := append([]float32(nil), v...)
		switch kind {
		case "exp":
			ExpShiftF32(a, 0.5)
		case "softcap":
			SoftcapF32(a, 3)
		case "gelu":
			GeluTanhF32(a, nil)
		case "scale":
			ScaleF32(a, 0.3)
		case "max":
			// The largest value in every lane position in turn.
			for i := range a {
				a[i] = MaxF32(append(v[:i:i], append([]float32{99}, v[i+1:]...)...))
			}
		}
		tamper(a)
		for i, x := range v {
			var e float32
			switch kind {
			case "exp":
				e = Expf(x - 0.5)
			case "softcap":
				e = Softcap(x, 3)
			case "gelu":
				e = GeluTanh(x)
			case "scale":
				e = x * 0.3
			case "max":
				e = 99
			}
			if math.Float32bits(a[i]) != math.Float32bits(e) {
				return fmt.Errorf("%s(%v) = %v, want %v", kind, x, a[i], e)
			}
		}
	}
	return nil
}
