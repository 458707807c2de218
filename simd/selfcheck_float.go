package simd

import (
	"fmt"
	"io"
	"math"
)

// floatSelfCheck runs the float assembly kernels (GEMV, the two GEMM tiles,
// the dot product, AXPY and the elementwise kernels) once on small fixed
// inputs against their Go twins: the GEMMs on small integers, so that every
// sum is exact in any order, the rest bit for bit. If one disagrees, none of
// the float assembly is used (useAsm) and a warning names the kernel.
func floatSelfCheck(warn io.Writer) (ok bool) {
	if !haveAsm {
		return false
	}
	name := "?"
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(warn, "pgedge: warning: the %s float kernel failed its start-up self-check (panic: %v); not using the float assembly\n", name, r)
			ok = false
		}
	}()
	fail := func(format string, a ...any) bool {
		fmt.Fprintf(warn, "pgedge: warning: the %s float kernel failed its start-up self-check (%s); not using the float assembly\n", name, fmt.Sprintf(format, a...))
		return false
	}
	oldZ := useZmmF
	useZmmF = false // the zmm prefill checks itself (gemm512_amd64.go)
	defer func() { useZmmF = oldZ }()
	const k = 21
	for _, sh := range []struct {
		what   string
		nx, nw int
	}{{"gemv", 1, 5}, {"tile", 4, 5}, {"prefill", 7, 17}} {
		x := make([]float32, sh.nx*k)
		wf := make([]float32, sh.nw*k)
		w16 := make([]uint16, sh.nw*k)
		for i := range x {
			x[i] = float32(i*7%9) - 4
		}
		for i := range wf {
			wf[i] = float32(i*5%11) - 5
			w16[i] = uint16(math.Float32bits(wf[i]) >> 16)
		}
		want := make([]float32, sh.nx*sh.nw)
		got := make([]float32, sh.nx*sh.nw)
		gemmF32Generic(want, sh.nw, x, sh.nx, wf, sh.nw, k)
		name = sh.what + " f32"
		gemmF32Asm(got, sh.nw, x, sh.nx, wf, sh.nw, k)
		for i := range got {
			if got[i] != want[i] {
				return fail("out[%d] = %v, want %v", i, got[i], want[i])
			}
		}
		name = sh.what + " bf16"
		clear(got)
		gemmBF16Asm(got, sh.nw, x, sh.nx, w16, sh.nw, k)
		for i := range got {
			if got[i] != want[i] {
				return fail("out[%d] = %v, want %v", i, got[i], want[i])
			}
		}
		if sh.nx == 1 {
			name = "dot"
			if d, e := dotF32Asm(x, wf[:k]), dotF32Generic(x, wf[:k]); d != e {
				return fail("%v, want %v", d, e)
			}
		}
	}
	// AXPY (FMA: on integers, exact) and the elementwise kernels (no FMA:
	// bit for bit on any input).
	v := make([]float32, 16)
	for i := range v {
		v[i] = float32(i-8) * 0.71
	}
	name = "axpy"
	y, yg := make([]float32, 16), make([]float32, 16)
	for i := range y {
		y[i] = float32(i*3%7) - 3
		yg[i] = y[i]
	}
	axpyAsm(&y[0], 3, &yg[0], 16)
	for i := range yg {
		yg[i] += 3 * yg[i]
	}
	for i := range y {
		if math.Float32bits(y[i]) != math.Float32bits(yg[i]) {
			return fail("y[%d] = %v, want %v", i, y[i], yg[i])
		}
	}
	if !haveElemAsm {
		return true
	}
	for _, kind := range []string{"exp", "softcap", "gelu"} {
		name = kind
		a := append([]float32(nil), v...)
		switch kind {
		case "exp":
			expShiftAsm(&a[0], 16, 0.5)
		case "softcap":
			softcapAsm(&a[0], 16, 3)
		case "gelu":
			geluTanhAsm(&a[0], nil, 16)
		}
		for i, x := range v {
			var e float32
			switch kind {
			case "exp":
				e = Expf(x - 0.5)
			case "softcap":
				e = Softcap(x, 3)
			case "gelu":
				e = GeluTanh(x)
			}
			if math.Float32bits(a[i]) != math.Float32bits(e) {
				return fail("f(%v) = %v, want %v", x, a[i], e)
			}
		}
	}
	return true
}
